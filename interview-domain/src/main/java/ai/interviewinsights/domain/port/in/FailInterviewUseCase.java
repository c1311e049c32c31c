package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.SessionId;
import java.util.Objects;

/**
 * A session cannot go on: its runner died or reported an unrecoverable failure. The session becomes FAILED with the
 * reason, its runner is destroyed, and every transcript entry already stored stays.
 */
public interface FailInterviewUseCase {

    void fail(FailInterview command);

    /** @param scope the runner's principal, or a system scope for the control plane's own watchers */
    record FailInterview(AccessScope scope, SessionId session, String reason) {
        public FailInterview {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
