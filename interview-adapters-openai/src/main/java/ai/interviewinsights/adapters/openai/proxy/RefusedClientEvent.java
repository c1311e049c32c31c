package ai.interviewinsights.adapters.openai.proxy;

import java.util.List;
import java.util.Objects;

/**
 * A client event the browser sent on {@code oai-events} that the proxy did not pass to OpenAI because it tried to
 * change what the operator fixed (the interviewer's instructions, tools, model, audio formats or turn detection).
 * The runner writes it to the session's audit trail; the candidate's page received an {@code error} event.
 *
 * @param type    the event's {@code type}
 * @param reason  a stable code: {@code proxy.session_locked}, {@code proxy.response_override} or
 *                {@code proxy.system_message}
 * @param fields  the fields it tried to set (names only, never values: they may carry anything)
 */
public record RefusedClientEvent(String type, String reason, List<String> fields) {

    public RefusedClientEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(reason, "reason");
        fields = List.copyOf(fields);
    }
}
