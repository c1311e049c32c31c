package ai.interviewinsights.adapters.openai.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the browser may say to OpenAI through the proxy. In the hybrid architecture the browser talks to OpenAI
 * directly and can send any client event; here every one passes through the runner, which holds the server key, so the
 * runner decides. The session belongs to the operator: {@code session.update} is never forwarded. Responses and
 * items the candidate's page can legitimately ask for pass, unless they smuggle in instructions, tools or a system
 * message. Audio, truncation and playback events are the bridge's own business (the audio comes from the WebRTC
 * track, truncation from what was actually played).
 *
 * <p>A refused event gets an {@code error} event back on the data channel (GA shape, code {@code proxy.*}); the ones
 * that tried to change the interviewer are also reported for the audit trail.
 */
final class ClientEventFilter {

    /** The outcome for one browser message. */
    sealed interface Verdict {
        /** Pass this text to OpenAI unchanged. */
        record Forward(String text) implements Verdict {
        }

        /** Do not pass it; answer the browser with {@code error}; maybe audit. */
        record Refuse(ObjectNode error, Optional<RefusedClientEvent> audit) implements Verdict {
        }
    }

    private static final Set<String> FORWARDED = Set.of("response.create", "response.cancel",
            "conversation.item.create", "conversation.item.retrieve");
    private static final Set<String> BRIDGE_OWNED = Set.of("input_audio_buffer.append", "input_audio_buffer.commit",
            "input_audio_buffer.clear", "conversation.item.truncate", "output_audio_buffer.clear");
    /** Fields of {@code response} in {@code response.create} that would override the operator's interviewer. */
    private static final Set<String> RESPONSE_LOCKED = Set.of("instructions", "tools", "tool_choice", "prompt", "model",
            "audio", "output_modalities", "conversation", "input");

    private final ObjectMapper json;

    ClientEventFilter(ObjectMapper json) {
        this.json = json;
    }

    Verdict judge(String text) {
        if (text == null) {
            return refuse("invalid_json", "Binary messages are not supported: send JSON text events.", null, null);
        }
        JsonNode event;
        try {
            event = json.readTree(text);
        } catch (Exception e) {
            return refuse("invalid_json", "The event is not valid JSON: send one JSON object per message.", null,
                    null);
        }
        if (event == null || !event.isObject() || !event.path("type").isTextual()) {
            return refuse("missing_required_parameter", "Missing required parameter: 'type'.", null, null);
        }
        String type = event.path("type").asText();
        String eventId = event.path("event_id").isTextual() ? event.path("event_id").asText() : null;
        if ("session.update".equals(type)) {
            return refuse("proxy.session_locked", "The interview's session is set by the server; session.update"
                    + " from the browser is not forwarded.", eventId,
                    new RefusedClientEvent(type, "proxy.session_locked", fieldNames(event.path("session"))));
        }
        if (BRIDGE_OWNED.contains(type)) {
            return refuse("proxy.event_not_allowed", "'" + type + "' is handled by the server in the proxy"
                    + " architecture (audio travels on the WebRTC track).", eventId, null);
        }
        if (!FORWARDED.contains(type)) {
            return refuse("proxy.event_not_allowed", "'" + clip(type) + "' is not accepted from the browser.", eventId,
                    null);
        }
        if ("response.create".equals(type)) {
            List<String> locked = new ArrayList<>();
            fieldNames(event.path("response")).stream().filter(RESPONSE_LOCKED::contains).forEach(locked::add);
            if (!locked.isEmpty()) {
                return refuse("proxy.response_override", "response.create from the browser may not set "
                        + locked + ".", eventId, new RefusedClientEvent(type, "proxy.response_override", locked));
            }
        }
        if ("conversation.item.create".equals(type)) {
            JsonNode item = event.path("item");
            String role = item.path("role").asText("");
            if (!"message".equals(item.path("type").asText("")) || !"user".equals(role)) {
                return refuse("proxy.system_message", "The browser may add only user messages to the conversation.",
                        eventId, new RefusedClientEvent(type, "proxy.system_message",
                                List.of("item.type=" + clip(item.path("type").asText("")), "item.role=" + clip(role))));
            }
        }
        return new Verdict.Forward(text);
    }

    private Verdict refuse(String code, String message, String eventId, RefusedClientEvent audit) {
        ObjectNode error = json.createObjectNode();
        error.put("type", "error");
        ObjectNode body = error.putObject("error");
        body.put("type", "invalid_request_error");
        body.put("code", code);
        body.put("message", message);
        body.putNull("param");
        if (eventId != null) {
            body.put("event_id", clip(eventId));
        } else {
            body.putNull("event_id");
        }
        return new Verdict.Refuse(error, Optional.ofNullable(audit));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(clip(it.next()));
        }
        return names;
    }

    private static String clip(String value) {
        String clean = value.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }
}
