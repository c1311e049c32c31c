package ai.interviewinsights.adapters.openai;

import ai.interviewinsights.domain.model.Secret;
import java.util.regex.Pattern;

/**
 * Scrubs text that came from OpenAI before it reaches a log or an exception message. OpenAI's own error messages
 * quote part of a rejected key ("Incorrect API key provided: sk-proj-****abcd"), and an echoed request could carry a
 * minted client secret; neither may leave the adapter.
 */
final class Redaction {

    private static final Pattern KEY_LIKE = Pattern.compile("\\b(?:sk|ek|rk|sess)[-_][A-Za-z0-9_*.\\-]{3,}");
    private static final int MAX_LENGTH = 300;

    private final Secret apiKey;

    Redaction(Secret apiKey) {
        this.apiKey = apiKey;
    }

    /** The text with the key and anything shaped like an OpenAI key removed, cut to a readable length. */
    String scrub(String text) {
        if (text == null) {
            return "";
        }
        String key = apiKey.reveal();
        // A very short "key" (a test placeholder) would shred ordinary words; real keys are long.
        String scrubbed = key.length() >= 8 ? text.replace(key, "[redacted]") : text;
        scrubbed = KEY_LIKE.matcher(scrubbed).replaceAll("[redacted]");
        scrubbed = scrubbed.replaceAll("\\s+", " ").strip();
        return scrubbed.length() > MAX_LENGTH ? scrubbed.substring(0, MAX_LENGTH) + "..." : scrubbed;
    }
}
