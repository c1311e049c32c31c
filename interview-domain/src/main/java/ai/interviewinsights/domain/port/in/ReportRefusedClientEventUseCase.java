package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import java.util.List;
import java.util.Objects;

/**
 * A proxy runner tells that it refused a client event the browser sent on its data channel because the event tried to
 * change what the operator fixed (the interviewer's instructions, tools, model, audio formats): the refusal is
 * audited ({@code realtime.client_event_refused}), so a candidate tampering with their interviewer leaves a trace.
 */
public interface ReportRefusedClientEventUseCase {

    /**
     * @throws ai.interviewinsights.domain.model.DomainException {@code access.runner_only} or
     *         {@code access.other_session} (FORBIDDEN) when the caller is not the session's own runner
     */
    void refused(RefusedClientEvent command);

    /**
     * What the browser tried, by name only: the event's values may carry anything, so they are never recorded.
     *
     * @param type   the event's {@code type}, at most 100 characters
     * @param reason the refusal's stable code (e.g. {@code proxy.session_locked}), at most 100 characters
     * @param fields the names of the fields it tried to set, at most 20 of at most 100 characters each
     */
    record RefusedClientEvent(Principal principal, SessionId session, String type, String reason,
                              List<String> fields) {
        public RefusedClientEvent {
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(session, "session");
            type = bounded(type);
            reason = bounded(reason);
            fields = fields == null ? List.of() : fields.stream().filter(Objects::nonNull)
                    .map(RefusedClientEvent::bounded).limit(20).toList();
        }

        private static String bounded(String text) {
            return text == null || text.isBlank() ? "unknown" : text.length() > 100 ? text.substring(0, 100) : text;
        }
    }
}
