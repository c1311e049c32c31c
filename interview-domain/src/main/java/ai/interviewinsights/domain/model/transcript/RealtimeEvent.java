package ai.interviewinsights.domain.model.transcript;

import java.time.Instant;
import java.util.Objects;

/**
 * The Realtime server events a transcript is assembled from, as plain domain records. The OpenAI adapter maps the
 * GA wire events onto these (from the sideband, or as the browser forwarded them); everything else the server sends
 * is of no concern to the transcript and is not mapped.
 *
 * <p>Every event says which connection it came from and when it was received.
 */
public sealed interface RealtimeEvent {

    TranscriptSource source();

    Instant receivedAt();

    /**
     * {@code conversation.item.added}: a message item joined the conversation after {@code previousItemId}.
     *
     * @param previousItemId the item before it, or {@code null} at the start of the conversation
     * @param text           the item's text when it was created as text (no transcription will follow), else null
     */
    record ItemAdded(String itemId, String previousItemId, Speaker speaker, String text, TranscriptSource source,
                     Instant receivedAt) implements RealtimeEvent {
        public ItemAdded {
            Objects.requireNonNull(itemId, "itemId");
            Objects.requireNonNull(speaker, "speaker");
            Events.check(source, receivedAt);
        }
    }

    /** {@code conversation.item.input_audio_transcription.delta}: part of the candidate's words. */
    record InputTranscriptionDelta(String itemId, String delta, TranscriptSource source, Instant receivedAt)
            implements RealtimeEvent {
        public InputTranscriptionDelta {
            Objects.requireNonNull(itemId, "itemId");
            Objects.requireNonNull(delta, "delta");
            Events.check(source, receivedAt);
        }
    }

    /** {@code conversation.item.input_audio_transcription.completed}: the candidate's final words for an item. */
    record InputTranscriptionCompleted(String itemId, String transcript, TranscriptSource source, Instant receivedAt)
            implements RealtimeEvent {
        public InputTranscriptionCompleted {
            Objects.requireNonNull(itemId, "itemId");
            Objects.requireNonNull(transcript, "transcript");
            Events.check(source, receivedAt);
        }
    }

    /** {@code conversation.item.input_audio_transcription.failed}: the candidate's words could not be transcribed. */
    record InputTranscriptionFailed(String itemId, String reason, TranscriptSource source, Instant receivedAt)
            implements RealtimeEvent {
        public InputTranscriptionFailed {
            Objects.requireNonNull(itemId, "itemId");
            reason = reason == null || reason.isBlank() ? "transcription failed" : reason;
            Events.check(source, receivedAt);
        }
    }

    /** {@code response.output_audio_transcript.delta}: part of what the interviewer is saying. */
    record OutputTranscriptDelta(String itemId, String delta, TranscriptSource source, Instant receivedAt)
            implements RealtimeEvent {
        public OutputTranscriptDelta {
            Objects.requireNonNull(itemId, "itemId");
            Objects.requireNonNull(delta, "delta");
            Events.check(source, receivedAt);
        }
    }

    /** {@code response.output_audio_transcript.done}: the interviewer's full text for an item. */
    record OutputTranscriptDone(String itemId, String transcript, TranscriptSource source, Instant receivedAt)
            implements RealtimeEvent {
        public OutputTranscriptDone {
            Objects.requireNonNull(itemId, "itemId");
            Objects.requireNonNull(transcript, "transcript");
            Events.check(source, receivedAt);
        }
    }

    /** {@code conversation.item.truncated}: the candidate interrupted; they heard {@code audioEndMs} of the item. */
    record ItemTruncated(String itemId, long audioEndMs, TranscriptSource source, Instant receivedAt)
            implements RealtimeEvent {
        public ItemTruncated {
            Objects.requireNonNull(itemId, "itemId");
            if (audioEndMs < 0) {
                throw new IllegalArgumentException("audioEndMs must not be negative");
            }
            Events.check(source, receivedAt);
        }
    }

    /** {@code error}: the server reports a problem with the call; logged, never fatal to the transcript. */
    record ServerError(String type, String code, String message, TranscriptSource source, Instant receivedAt)
            implements RealtimeEvent {
        public ServerError {
            Events.check(source, receivedAt);
        }
    }

    /** The connection to the call is gone for good (hung up, or the call ended on OpenAI's side). */
    record CallEnded(String reason, TranscriptSource source, Instant receivedAt) implements RealtimeEvent {
        public CallEnded {
            Events.check(source, receivedAt);
        }
    }
}

final class Events {
    private Events() {
    }

    static void check(TranscriptSource source, Instant receivedAt) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
