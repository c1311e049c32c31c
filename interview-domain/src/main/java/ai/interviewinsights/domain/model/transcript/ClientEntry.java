package ai.interviewinsights.domain.model.transcript;

import ai.interviewinsights.domain.model.Require;
import java.time.Instant;

/**
 * A transcript entry as the browser forwards it ({@code transcript_update}). The design documents' shape is
 * {@code {text, speaker, timestamp}}; a client that also sends OpenAI's {@code item_id} (and
 * {@code previous_item_id}) lets its entry merge with what the sideband saw of the same item.
 *
 * @param key            the client's idempotency key; defaults to the item id, else a key derived from the content
 * @param itemId         OpenAI's conversation item id, or null
 * @param previousItemId the item before it, or null
 * @param partial        true when the text is the client's running accumulation of deltas, not a final transcript
 */
public record ClientEntry(IdempotencyKey key, String itemId, String previousItemId, Speaker speaker, String text,
                          Instant spokenAt, boolean partial) {

    public ClientEntry {
        Require.present(speaker, "speaker");
        Require.present(text, "text");
        Require.present(spokenAt, "timestamp");
        if (text.length() > TranscriptEntry.MAX_TEXT_LENGTH) {
            throw ai.interviewinsights.domain.model.DomainException.invalid("invalid.text",
                    "an entry's text is at most " + TranscriptEntry.MAX_TEXT_LENGTH + " characters");
        }
        if (itemId != null) {
            IdempotencyKey itemKey = IdempotencyKey.of(itemId); // item ids become keys: same alphabet
            if (key != null && !key.equals(itemKey)) {
                throw ai.interviewinsights.domain.model.DomainException.invalid("invalid.idempotency_key",
                        "when an entry carries item_id its key is the item id; send one or make them equal");
            }
            key = itemKey;
        } else if (key == null) {
            key = IdempotencyKey.derived(speaker, spokenAt, text);
        }
    }
}
