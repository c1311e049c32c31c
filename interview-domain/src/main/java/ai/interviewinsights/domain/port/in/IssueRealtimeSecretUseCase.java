package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.realtime.ClientSecret;
import java.util.Objects;

/** The browser-direct variant: a short-lived OpenAI secret for one live session, configured for its interview. */
public interface IssueRealtimeSecretUseCase {

    /**
     * @throws ai.interviewinsights.domain.model.DomainException {@code session.not_found}, {@code session.not_live}
     *         (GONE), {@code realtime.not_configured} (UNAVAILABLE)
     */
    ClientSecret issue(IssueRealtimeSecret command);

    record IssueRealtimeSecret(Principal principal, SessionId session) {
        public IssueRealtimeSecret {
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(session, "session");
        }
    }
}
