package ai.interviewinsights.adapters.openai;

import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps OpenAI's GA Realtime server events onto the domain's {@link RealtimeEvent}s. Only what a transcript is made of
 * is mapped; every other type (session, buffer, response, rate-limit events) is logged at debug and ignored, and so is
 * an event of a known type that lacks what the domain needs: the server's stream is never fatal to the call.
 *
 * <ul>
 *   <li>{@code conversation.item.added} of a {@code message} item: role {@code user} is the candidate,
 *       {@code assistant} the interviewer (other roles and item types are ignored); text only when the item was
 *       created as text ({@code input_text}, {@code text} or {@code output_text} content)</li>
 *   <li>{@code conversation.item.input_audio_transcription.delta / .completed / .failed}</li>
 *   <li>{@code response.output_audio_transcript.delta / .done}</li>
 *   <li>{@code conversation.item.truncated}</li>
 *   <li>{@code error}</li>
 * </ul>
 */
final class ServerEvents {

    private static final Logger LOG = LoggerFactory.getLogger(ServerEvents.class);

    private ServerEvents() {
    }

    /**
     * @param redaction scrubs the text of {@code error} events, which can quote a key back
     */
    static Optional<RealtimeEvent> map(JsonNode event, TranscriptSource source, Instant receivedAt,
                                       Redaction redaction) {
        String type = text(event, "type");
        try {
            RealtimeEvent mapped = switch (type == null ? "" : type) {
                case "conversation.item.added" -> itemAdded(event, source, receivedAt);
                case "conversation.item.input_audio_transcription.delta" -> new RealtimeEvent.InputTranscriptionDelta(
                        required(event, "item_id"), required(event, "delta"), source, receivedAt);
                case "conversation.item.input_audio_transcription.completed" ->
                        new RealtimeEvent.InputTranscriptionCompleted(required(event, "item_id"),
                                required(event, "transcript"), source, receivedAt);
                case "conversation.item.input_audio_transcription.failed" -> new RealtimeEvent.InputTranscriptionFailed(
                        required(event, "item_id"), failureReason(event.path("error")), source, receivedAt);
                case "response.output_audio_transcript.delta" -> new RealtimeEvent.OutputTranscriptDelta(
                        required(event, "item_id"), required(event, "delta"), source, receivedAt);
                case "response.output_audio_transcript.done" -> new RealtimeEvent.OutputTranscriptDone(
                        required(event, "item_id"), required(event, "transcript"), source, receivedAt);
                case "conversation.item.truncated" -> truncated(event, source, receivedAt);
                case "error" -> serverError(event.path("error"), source, receivedAt, redaction);
                default -> {
                    LOG.debug("ignoring Realtime event of type {}", type);
                    yield null;
                }
            };
            return Optional.ofNullable(mapped);
        } catch (IncompleteEvent | IllegalArgumentException e) {
            // The text of an event can be the candidate's words: log the type and the reason only.
            LOG.warn("ignoring a {} event: {}", type, e.getMessage());
            return Optional.empty();
        }
    }

    private static RealtimeEvent itemAdded(JsonNode event, TranscriptSource source, Instant at) {
        JsonNode item = event.path("item");
        if (!"message".equals(text(item, "type"))) {
            LOG.debug("ignoring an added {} item", text(item, "type"));
            return null;
        }
        Speaker speaker;
        String role = text(item, "role");
        if ("user".equals(role)) {
            speaker = Speaker.CANDIDATE;
        } else if ("assistant".equals(role)) {
            speaker = Speaker.AI;
        } else {
            LOG.debug("ignoring an added message with role {}", role);
            return null;
        }
        String text = null;
        for (JsonNode content : item.path("content")) {
            String contentType = text(content, "type");
            if (("input_text".equals(contentType) || "text".equals(contentType) || "output_text".equals(contentType))
                    && text(content, "text") != null) {
                text = text == null ? text(content, "text") : text + text(content, "text");
            }
        }
        return new RealtimeEvent.ItemAdded(required(item, "id"), text(event, "previous_item_id"), speaker, text,
                source, at);
    }

    private static RealtimeEvent truncated(JsonNode event, TranscriptSource source, Instant at) {
        JsonNode audioEnd = event.path("audio_end_ms");
        if (!audioEnd.canConvertToLong() || audioEnd.asLong() < 0) {
            throw new IncompleteEvent("audio_end_ms is missing or negative");
        }
        return new RealtimeEvent.ItemTruncated(required(event, "item_id"), audioEnd.asLong(), source, at);
    }

    private static RealtimeEvent serverError(JsonNode error, TranscriptSource source, Instant at,
                                             Redaction redaction) {
        String message = text(error, "message");
        return new RealtimeEvent.ServerError(text(error, "type"), text(error, "code"),
                message == null ? null : redaction.scrub(message), source, at);
    }

    private static String failureReason(JsonNode error) {
        String message = text(error, "message");
        String code = text(error, "code");
        if (message != null && !message.isBlank()) {
            return message;
        }
        return code != null && !code.isBlank() ? code : null;
    }

    private static String required(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null) {
            throw new IncompleteEvent(field + " is missing");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }

    /** A known event without a field the domain needs. */
    private static final class IncompleteEvent extends RuntimeException {
        IncompleteEvent(String message) {
            super(message, null, false, false);
        }
    }
}
