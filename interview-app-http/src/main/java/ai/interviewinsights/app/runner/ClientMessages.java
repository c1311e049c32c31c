package ai.interviewinsights.app.runner;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.transcript.ClientEntry;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptBatch;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the browser's messages (docs/protocol.md). Entries keep the design documents' shape
 * {@code {text, speaker, timestamp}}; {@code item_id}, {@code previous_item_id}, {@code key} and {@code partial} are
 * optional additions that let an entry merge with what the sideband saw.
 */
final class ClientMessages {

    private ClientMessages() {
    }

    static List<ClientEntry> entries(JsonNode array, Instant now) {
        if (array == null || array.isNull() || array.isMissingNode()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw DomainException.invalid("protocol.invalid_entries", "entries must be an array");
        }
        TranscriptBatch.requireWithinLimit(array.size());
        List<ClientEntry> entries = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode node = array.get(i);
            if (node == null || !node.isObject()) {
                throw DomainException.invalid("protocol.invalid_entries", "entry " + i + " is not an object");
            }
            String text = textOf(node, "text");
            if (text == null) {
                throw DomainException.invalid("invalid.text", "entry " + i + " has no text");
            }
            Instant spokenAt = now;
            String timestamp = textOf(node, "timestamp");
            if (timestamp != null) {
                try {
                    spokenAt = Instant.parse(timestamp);
                } catch (DateTimeParseException e) {
                    throw DomainException.invalid("invalid.timestamp", "entry " + i + ": timestamp must be ISO-8601");
                }
            }
            String key = textOf(node, "key");
            String itemId = textOf(node, "item_id");
            Speaker speaker = Speaker.fromWire(textOf(node, "speaker"));
            IdempotencyKey idempotencyKey = key != null ? IdempotencyKey.of(key)
                    // Without key or timestamp the arrival time must not go into the key: a resend is the same entry.
                    : itemId == null && timestamp == null ? IdempotencyKey.derived(speaker, text) : null;
            entries.add(new ClientEntry(idempotencyKey, itemId, textOf(node, "previous_item_id"), speaker, text,
                    spokenAt, node.path("partial").asBoolean(false)));
        }
        return entries;
    }

    /** {@code final_transcript} of {@code end_session}: an array of entries, or an object holding one. */
    static List<ClientEntry> finalTranscript(JsonNode node, Instant now) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return List.of();
        }
        if (node.isObject()) {
            return entries(node.get("entries"), now);
        }
        return entries(node, now);
    }

    static String textOf(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
