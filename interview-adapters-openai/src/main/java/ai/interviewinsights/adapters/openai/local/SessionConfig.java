package ai.interviewinsights.adapters.openai.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * One call's effective session: OpenAI's GA defaults, overlaid with the session object of the call or client secret,
 * then with every {@code session.update}. Kept as the JSON tree itself so that {@code session.updated} echoes the
 * whole effective configuration, like OpenAI's, including fields this endpoint stores but does not act on.
 */
final class SessionConfig {

    private final ObjectNode session;

    private SessionConfig(ObjectNode session) {
        this.session = session;
    }

    static SessionConfig defaults(Instant now) {
        ObjectNode s = Wire.JSON.createObjectNode();
        s.put("type", "realtime");
        s.put("object", "realtime.session");
        s.put("id", Wire.id("sess_"));
        s.put("model", "gpt-realtime");
        s.putArray("output_modalities").add("audio");
        s.put("instructions", "");
        s.putArray("tools");
        s.put("tool_choice", "auto");
        s.put("max_output_tokens", "inf");
        s.putNull("tracing");
        s.put("truncation", "auto");
        s.putNull("prompt");
        s.put("expires_at", now.getEpochSecond() + 3600);
        ObjectNode input = s.putObject("audio").putObject("input");
        input.putObject("format").put("type", "audio/pcm").put("rate", 24000);
        input.putNull("transcription");
        input.putNull("noise_reduction");
        input.putObject("turn_detection").put("type", "server_vad").put("threshold", 0.5)
                .put("prefix_padding_ms", 300).put("silence_duration_ms", 500).putNull("idle_timeout_ms")
                .put("create_response", true).put("interrupt_response", true);
        ObjectNode output = ((ObjectNode) s.get("audio")).putObject("output");
        output.putObject("format").put("type", "audio/pcm").put("rate", 24000);
        output.put("voice", "marin");
        output.put("speed", 1.0);
        return new SessionConfig(s);
    }

    /**
     * Overlays a partial session object (nested objects merge, everything else replaces, JSON null clears).
     *
     * @throws IllegalArgumentException naming the parameter that is wrong, for an {@code invalid_request_error}
     */
    synchronized void apply(JsonNode update) {
        if (update == null || !update.isObject()) {
            throw new IllegalArgumentException("session");
        }
        JsonNode type = update.get("type");
        if (type == null || !"realtime".equals(type.asText())) {
            throw new IllegalArgumentException("session.type");
        }
        ObjectNode copy = update.deepCopy();
        copy.remove(java.util.List.of("id", "object", "expires_at"));
        merge(session, copy);
    }

    private static void merge(ObjectNode target, ObjectNode update) {
        Iterator<Map.Entry<String, JsonNode>> fields = update.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = target.get(field.getKey());
            if (existing instanceof ObjectNode object && field.getValue() instanceof ObjectNode patch) {
                merge(object, patch);
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }

    synchronized ObjectNode snapshot() {
        return session.deepCopy();
    }

    synchronized String instructions() {
        return session.path("instructions").asText("");
    }

    synchronized boolean transcribes() {
        JsonNode transcription = session.path("audio").path("input").path("transcription");
        return transcription.isObject();
    }

    /** The turn detection settings, or null when the client turned turn detection off. */
    synchronized JsonNode turnDetection() {
        JsonNode detection = session.path("audio").path("input").path("turn_detection");
        return detection.isObject() ? detection.deepCopy() : null;
    }

    synchronized boolean audioOut() {
        for (JsonNode modality : session.path("output_modalities")) {
            if ("audio".equals(modality.asText())) {
                return true;
            }
        }
        return false;
    }
}
