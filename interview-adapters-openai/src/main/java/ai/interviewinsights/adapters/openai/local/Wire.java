package ai.interviewinsights.adapters.openai.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The one codec of the local endpoint's wire edge: OpenAI Realtime GA server events and error bodies, built with the
 * field names and nesting of OpenAI's published schema (openai-openapi), so that the production adapter and a
 * browser parse them exactly as they parse OpenAI's.
 */
final class Wire {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Wire() {
    }

    /** An OpenAI-style id: prefix plus 24 random hex characters (calls use 32). */
    static String id(String prefix) {
        byte[] bytes = new byte[prefix.equals("rtc_") || prefix.equals("ek_") ? 16 : 12];
        RANDOM.nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    static ObjectNode event(String type) {
        ObjectNode event = JSON.createObjectNode();
        event.put("type", type);
        event.put("event_id", id("event_"));
        return event;
    }

    /** REST error body: {@code {"error": {"message", "type", "param", "code"}}}. */
    static ObjectNode restError(String type, String code, String message, String param) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", type);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        error.put("code", code);
        return body;
    }

    /** The {@code error} server event; {@code causedBy} is the client event's id when it had one. */
    static ObjectNode errorEvent(String type, String code, String message, String param, String causedBy) {
        ObjectNode event = event("error");
        ObjectNode error = event.putObject("error");
        error.put("type", type);
        error.put("code", code);
        error.put("message", message);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        if (causedBy == null) {
            error.putNull("event_id");
        } else {
            error.put("event_id", causedBy);
        }
        return event;
    }

    /** A message item as {@code conversation.item.*} events carry it. */
    static ObjectNode message(String id, String role, String status, ObjectNode... content) {
        ObjectNode item = JSON.createObjectNode();
        item.put("id", id);
        item.put("object", "realtime.item");
        item.put("type", "message");
        item.put("status", status);
        item.put("role", role);
        ArrayNode parts = item.putArray("content");
        for (ObjectNode part : content) {
            parts.add(part);
        }
        return item;
    }

    static ObjectNode inputAudio(String transcript) {
        ObjectNode part = JSON.createObjectNode().put("type", "input_audio");
        if (transcript == null) {
            part.putNull("transcript");
        } else {
            part.put("transcript", transcript);
        }
        return part;
    }

    static ObjectNode inputText(String text) {
        return JSON.createObjectNode().put("type", "input_text").put("text", text);
    }

    static ObjectNode outputAudio(String transcript) {
        ObjectNode part = JSON.createObjectNode().put("type", "output_audio");
        if (transcript == null) {
            part.putNull("transcript");
        } else {
            part.put("transcript", transcript);
        }
        return part;
    }

    static ObjectNode outputText(String text) {
        return JSON.createObjectNode().put("type", "output_text").put("text", text);
    }

    static ObjectNode itemEvent(String type, String previousItemId, ObjectNode item) {
        ObjectNode event = event(type);
        if (previousItemId == null) {
            event.putNull("previous_item_id");
        } else {
            event.put("previous_item_id", previousItemId);
        }
        event.set("item", item);
        return event;
    }

    static ObjectNode response(String id, String status, ObjectNode item, int inputTokens, int outputTokens,
                               String reason) {
        ObjectNode response = JSON.createObjectNode();
        response.put("object", "realtime.response");
        response.put("id", id);
        response.put("status", status);
        if (reason == null) {
            response.putNull("status_details");
        } else {
            response.putObject("status_details").put("type", status).put("reason", reason);
        }
        ArrayNode output = response.putArray("output");
        if (item != null) {
            output.add(item);
        }
        ObjectNode usage = response.putObject("usage");
        usage.put("total_tokens", inputTokens + outputTokens);
        usage.put("input_tokens", inputTokens);
        usage.put("output_tokens", outputTokens);
        usage.putObject("input_token_details").put("text_tokens", inputTokens).put("audio_tokens", 0)
                .put("cached_tokens", 0);
        usage.putObject("output_token_details").put("text_tokens", outputTokens).put("audio_tokens", 0);
        return response;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /** A rough token count (words), for usage figures that must be present and plausible, not billed. */
    static int tokens(String text) {
        return text == null || text.isBlank() ? 0 : text.trim().split("\\s+").length;
    }
}
