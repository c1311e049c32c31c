package ai.interviewinsights.domain.model.transcript;

import ai.interviewinsights.domain.model.DomainException;
import java.util.Locale;

/** Who said a transcript entry. */
public enum Speaker {
    /** The AI interviewer (OpenAI's {@code assistant} role). */
    AI,
    /** The candidate (OpenAI's {@code user} role). */
    CANDIDATE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Accepts the protocol's {@code ai}/{@code candidate} and OpenAI's {@code assistant}/{@code user}. */
    public static Speaker fromWire(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "ai", "assistant", "interviewer" -> AI;
            case "candidate", "user" -> CANDIDATE;
            default -> throw DomainException.invalid("invalid.speaker", "speaker must be 'ai' or 'candidate'");
        };
    }
}
