package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import java.util.Objects;

/**
 * A runner tells that it gave up on one transcript entry the control plane refused for good (it could never be
 * stored as sent): the drop is audited, so it is visible, instead of the entry blocking every entry after it.
 */
public interface ReportDroppedEntryUseCase {

    /**
     * @throws ai.interviewinsights.domain.model.DomainException {@code access.other_session} (FORBIDDEN) when the
     *         caller is not the session's own runner
     */
    void dropped(DroppedEntry command);

    /**
     * @param code   the stable code of the refusal
     * @param reason what the control plane said, at most 500 characters
     */
    record DroppedEntry(Principal principal, SessionId session, IdempotencyKey key, String code, String reason) {
        public DroppedEntry {
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(key, "key");
            code = code == null || code.isBlank() ? "unknown" : code.length() > 100 ? code.substring(0, 100) : code;
            reason = reason == null ? "" : reason.length() > 500 ? reason.substring(0, 500) : reason;
        }
    }
}
