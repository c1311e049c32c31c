package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.recording.UploadGrant;

/**
 * The room asks for its recording's upload grant after its session's runner is ready, when the reply it joined with
 * carried none ({@link ai.interviewinsights.domain.model.recording.RecordingGrantTiming#AFTER_READY}: a start that
 * asked for that, one whose provider failed during it, a rejoin before the first ask; ADR 0028).
 */
public interface GrantRecordingUseCase {

    /**
     * Creates the session's video and a delegated upload token that lives for what is left of the interview plus the
     * recording margin, and attaches the video to the session. Once per session: the first browser to ask records,
     * as the first browser to join recorded when the grant came with the start.
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code access.other_session} (FORBIDDEN: another
     *         session's token), {@code access.staff_or_candidate} (FORBIDDEN: a runner), {@code session.not_found}
     *         (NOT_FOUND, another tenant's too), {@code session.not_live} (GONE), {@code recording.not_configured}
     *         (UNAVAILABLE, not retryable), {@code recording.already_granted} (CONFLICT), {@code
     *         recording.not_consented} (CONFLICT: the candidate has not agreed to being recorded), the provider's
     *         own errors (e.g. {@code apivideo.unavailable}, UNAVAILABLE and retryable; nothing is attached then)
     */
    UploadGrant grant(Principal principal, SessionId session);
}
