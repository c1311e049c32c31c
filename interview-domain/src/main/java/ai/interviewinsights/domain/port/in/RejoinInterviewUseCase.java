package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import java.util.Objects;

/**
 * A staff member comes back to an interview they started in the admin flow (a reload, another tab, the runner
 * died): the same session, through its runner if it still runs, or through a fresh runner that carries on after the
 * transcript stored so far, within the session's own deadline. The invite flow's counterpart is redeeming the invite
 * again.
 */
public interface RejoinInterviewUseCase {

    /**
     * @throws ai.interviewinsights.domain.model.DomainException {@code access.staff_only} (FORBIDDEN),
     *         {@code session.not_found} (another tenant's or no such session), {@code session.invite_flow} (CONFLICT:
     *         a candidate's invite session is rejoined through its invite link), {@code session.not_live} (GONE),
     *         {@code session.starting} / {@code session.resuming} (CONFLICT, retryable),
     *         {@code runner.provisioning_failed} (UNAVAILABLE, retryable)
     */
    StartedInterview rejoin(RejoinInterview command);

    /** The request. */
    record RejoinInterview(Principal principal, SessionId session) {
        public RejoinInterview {
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(session, "session");
        }
    }
}
