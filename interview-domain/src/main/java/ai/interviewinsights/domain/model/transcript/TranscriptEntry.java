package ai.interviewinsights.domain.model.transcript;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.FailureReason;
import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.identity.SessionId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One turn of the interview as stored: who said what, when, and where it sits in the conversation.
 *
 * @param session        the interview
 * @param key            identifies the entry across retries and sources (OpenAI item id, or a client key)
 * @param speaker        the interviewer or the candidate
 * @param text           what was said; may be partial for TRUNCATED and FAILED entries
 * @param spokenAt       when the turn started
 * @param position       0-based position in conversation order
 * @param source         where the final text came from
 * @param status         complete, truncated on interruption, or failed
 * @param audioEnd       for TRUNCATED: how much of the interviewer's audio the candidate heard; otherwise null
 * @param failureReason  for FAILED: why; otherwise null
 */
public record TranscriptEntry(SessionId session, IdempotencyKey key, Speaker speaker, String text, Instant spokenAt,
                              long position, TranscriptSource source, EntryStatus status, Duration audioEnd,
                              String failureReason) {

    public static final int MAX_TEXT_LENGTH = 20_000;

    public TranscriptEntry {
        Require.present(session, "session_id");
        Require.present(key, "idempotency_key");
        Require.present(speaker, "speaker");
        Require.present(text, "text");
        Require.present(spokenAt, "spoken_at");
        Require.present(source, "source");
        Require.present(status, "status");
        if (text.length() > MAX_TEXT_LENGTH) {
            throw DomainException.invalid("invalid.text", "an entry's text is at most " + MAX_TEXT_LENGTH + " characters");
        }
        if (position < 0) {
            throw DomainException.invalid("invalid.position", "position must not be negative");
        }
        if ((status == EntryStatus.TRUNCATED) != (audioEnd != null)) {
            throw DomainException.invalid("invalid.audio_end", "a TRUNCATED entry, and only one, carries its audio end");
        }
        if (audioEnd != null && audioEnd.isNegative()) {
            throw DomainException.invalid("invalid.audio_end", "audio end must not be negative");
        }
        if ((status == EntryStatus.FAILED) != (failureReason != null)) {
            throw DomainException.invalid("invalid.failure_reason", "a FAILED entry, and only one, carries a reason");
        }
        if (failureReason != null) {
            failureReason = FailureReason.require(failureReason);
        }
    }

    public static TranscriptEntry complete(SessionId session, IdempotencyKey key, Speaker speaker, String text,
                                           Instant spokenAt, long position, TranscriptSource source) {
        return new TranscriptEntry(session, key, speaker, text, spokenAt, position, source, EntryStatus.COMPLETE,
                null, null);
    }

    public Optional<Duration> truncatedAt() {
        return Optional.ofNullable(audioEnd);
    }

    public Optional<String> failure() {
        return Optional.ofNullable(failureReason);
    }

    @Override
    public String toString() {
        // The candidate's words are personal data: keep them out of logs.
        return "TranscriptEntry[" + session + "/" + key + " #" + position + " " + speaker + " " + status + ", "
                + text.length() + " chars]";
    }
}
