package ai.interviewinsights.adapters.openai;

import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.model.transcript.Speaker;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OpenAI GA Realtime server events as they appear on the wire, for tests to replay. Each gets a fresh
 * {@code event_id}, as OpenAI's do, unless a test repeats one on purpose.
 */
final class GaEvents {

    private final AtomicInteger ids = new AtomicInteger();

    String nextId() {
        return "event_" + String.format("%04d", ids.incrementAndGet());
    }

    String sessionCreated() {
        return "{\"type\":\"session.created\",\"event_id\":\"" + nextId() + "\",\"session\":{\"type\":\"realtime\","
                + "\"object\":\"realtime.session\",\"id\":\"sess_C9CiUVUzUzYIssh3ELY1d\",\"model\":\"gpt-realtime\","
                + "\"output_modalities\":[\"audio\"]}}";
    }

    /** An audio message: the assistant's output or the candidate's committed speech, no text yet. */
    String itemAdded(String itemId, String previousItemId, String role) {
        String content = role.equals("user") ? "{\"type\":\"input_audio\",\"transcript\":null}"
                : "{\"type\":\"output_audio\",\"transcript\":null}";
        return "{\"type\":\"conversation.item.added\",\"event_id\":\"" + nextId() + "\",\"previous_item_id\":"
                + quoted(previousItemId) + ",\"item\":{\"id\":\"" + itemId + "\",\"object\":\"realtime.item\","
                + "\"type\":\"message\",\"status\":\"completed\",\"role\":\"" + role + "\",\"content\":[" + content
                + "]}}";
    }

    /** A message created as text (e.g. by {@code conversation.item.create}). */
    String textItemAdded(String itemId, String previousItemId, String role, String text) {
        String type = role.equals("user") ? "input_text" : "output_text";
        return "{\"type\":\"conversation.item.added\",\"event_id\":\"" + nextId() + "\",\"previous_item_id\":"
                + quoted(previousItemId) + ",\"item\":{\"id\":\"" + itemId + "\",\"type\":\"message\",\"role\":\""
                + role + "\",\"content\":[{\"type\":\"" + type + "\",\"text\":" + quoted(text) + "}]}}";
    }

    String functionCallAdded(String itemId, String previousItemId) {
        return "{\"type\":\"conversation.item.added\",\"event_id\":\"" + nextId() + "\",\"previous_item_id\":"
                + quoted(previousItemId) + ",\"item\":{\"id\":\"" + itemId + "\",\"type\":\"function_call\","
                + "\"name\":\"lookup\",\"call_id\":\"call_1\",\"arguments\":\"{}\"}}";
    }

    String itemDone(String itemId) {
        return "{\"type\":\"conversation.item.done\",\"event_id\":\"" + nextId() + "\",\"item\":{\"id\":\"" + itemId
                + "\",\"type\":\"message\"}}";
    }

    String speechStarted(String itemId, long audioStartMs) {
        return "{\"type\":\"input_audio_buffer.speech_started\",\"event_id\":\"" + nextId() + "\",\"audio_start_ms\":"
                + audioStartMs + ",\"item_id\":\"" + itemId + "\"}";
    }

    String speechStopped(String itemId, long audioEndMs) {
        return "{\"type\":\"input_audio_buffer.speech_stopped\",\"event_id\":\"" + nextId() + "\",\"audio_end_ms\":"
                + audioEndMs + ",\"item_id\":\"" + itemId + "\"}";
    }

    String inputDelta(String itemId, String delta) {
        return "{\"type\":\"conversation.item.input_audio_transcription.delta\",\"event_id\":\"" + nextId()
                + "\",\"item_id\":\"" + itemId + "\",\"content_index\":0,\"delta\":" + quoted(delta) + "}";
    }

    String inputCompleted(String itemId, String transcript) {
        return inputCompleted(nextId(), itemId, transcript);
    }

    String inputCompleted(String eventId, String itemId, String transcript) {
        return "{\"type\":\"conversation.item.input_audio_transcription.completed\",\"event_id\":\"" + eventId
                + "\",\"item_id\":\"" + itemId + "\",\"content_index\":0,\"transcript\":" + quoted(transcript)
                + ",\"usage\":{\"type\":\"tokens\",\"total_tokens\":42,\"input_tokens\":30,\"output_tokens\":12}}";
    }

    String inputFailed(String itemId, String message) {
        return "{\"type\":\"conversation.item.input_audio_transcription.failed\",\"event_id\":\"" + nextId()
                + "\",\"item_id\":\"" + itemId + "\",\"content_index\":0,\"error\":{\"type\":\"transcription_error\","
                + "\"code\":\"audio_unintelligible\",\"message\":" + quoted(message) + ",\"param\":null}}";
    }

    String responseCreated(String responseId) {
        return "{\"type\":\"response.created\",\"event_id\":\"" + nextId() + "\",\"response\":{\"id\":\"" + responseId
                + "\",\"object\":\"realtime.response\",\"status\":\"in_progress\"}}";
    }

    String outputDelta(String eventId, String itemId, String delta) {
        return "{\"type\":\"response.output_audio_transcript.delta\",\"event_id\":\"" + eventId
                + "\",\"response_id\":\"resp_1\",\"item_id\":\"" + itemId + "\",\"output_index\":0,"
                + "\"content_index\":0,\"delta\":" + quoted(delta) + "}";
    }

    String outputDelta(String itemId, String delta) {
        return outputDelta(nextId(), itemId, delta);
    }

    String outputDone(String itemId, String transcript) {
        return "{\"type\":\"response.output_audio_transcript.done\",\"event_id\":\"" + nextId()
                + "\",\"response_id\":\"resp_1\",\"item_id\":\"" + itemId + "\",\"output_index\":0,"
                + "\"content_index\":0,\"transcript\":" + quoted(transcript) + "}";
    }

    String truncated(String itemId, long audioEndMs) {
        return "{\"type\":\"conversation.item.truncated\",\"event_id\":\"" + nextId() + "\",\"item_id\":\"" + itemId
                + "\",\"content_index\":0,\"audio_end_ms\":" + audioEndMs + "}";
    }

    String responseDone(String responseId) {
        return "{\"type\":\"response.done\",\"event_id\":\"" + nextId() + "\",\"response\":{\"id\":\"" + responseId
                + "\",\"status\":\"completed\",\"usage\":{\"total_tokens\":300,\"input_tokens\":200,"
                + "\"output_tokens\":100}}}";
    }

    String rateLimitsUpdated() {
        return "{\"type\":\"rate_limits.updated\",\"event_id\":\"" + nextId() + "\",\"rate_limits\":[{\"name\":"
                + "\"tokens\",\"limit\":20000,\"remaining\":19000,\"reset_seconds\":2.5}]}";
    }

    String error(String type, String code, String message) {
        return "{\"type\":\"error\",\"event_id\":\"" + nextId() + "\",\"error\":{\"type\":\"" + type + "\",\"code\":"
                + quoted(code) + ",\"message\":" + quoted(message) + ",\"param\":null,\"event_id\":null}}";
    }

    /** The wire form of a domain event: the inverse of what the adapter maps (for the contract's scripted streams). */
    String toWire(RealtimeEvent event) {
        if (event instanceof RealtimeEvent.ItemAdded e) {
            String role = e.speaker() == Speaker.AI ? "assistant" : "user";
            return e.text() == null ? itemAdded(e.itemId(), e.previousItemId(), role)
                    : textItemAdded(e.itemId(), e.previousItemId(), role, e.text());
        } else if (event instanceof RealtimeEvent.InputTranscriptionDelta e) {
            return inputDelta(e.itemId(), e.delta());
        } else if (event instanceof RealtimeEvent.InputTranscriptionCompleted e) {
            return inputCompleted(e.itemId(), e.transcript());
        } else if (event instanceof RealtimeEvent.InputTranscriptionFailed e) {
            return inputFailed(e.itemId(), e.reason());
        } else if (event instanceof RealtimeEvent.OutputTranscriptDelta e) {
            return outputDelta(e.itemId(), e.delta());
        } else if (event instanceof RealtimeEvent.OutputTranscriptDone e) {
            return outputDone(e.itemId(), e.transcript());
        } else if (event instanceof RealtimeEvent.ItemTruncated e) {
            return truncated(e.itemId(), e.audioEndMs());
        } else if (event instanceof RealtimeEvent.ServerError e) {
            return error(e.type(), e.code(), e.message());
        }
        throw new IllegalArgumentException("OpenAI sends no wire event for " + event.getClass().getSimpleName());
    }

    private static String quoted(String text) {
        if (text == null) {
            return "null";
        }
        try {
            return OpenAiTesting.JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode parse(String wire) {
        return (ObjectNode) OpenAiTesting.json(wire);
    }
}
