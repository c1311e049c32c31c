package ai.interviewinsights.adapters.openai;

import ai.interviewinsights.domain.model.Secret;
import java.util.regex.Pattern;

/**
 * Scrubs text that came from OpenAI before it reaches a log or an exception message. OpenAI's own error messages
 * quote part of a rejected key ("Incorrect API key provided: sk-proj-****abcd"), and an echoed request could carry a
 * minted client secret; neither may leave the adapter.
 *
 * <p>What is removed: the configured key itself; the key without its prefix ({@code sk-}, {@code sk-proj-}, ...);
 * any word that shares a run of {@value #WINDOW} characters with the key (a key quoted in part, or without its
 * prefix); and anything shaped like an OpenAI key or secret ({@code sk-}, {@code ek_}, {@code proj-}, ...).
 */
final class Redaction {

    private static final Pattern KEY_LIKE = Pattern.compile(
            "\\b(?:sk|ek|rk|sess|proj|svcacct|admin)[-_][A-Za-z0-9_*.\\-]{3,}");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_\\-]{" + 12 + ",}");
    static final int WINDOW = 12;
    private static final int MAX_LENGTH = 300;

    private final Secret apiKey;
    private final java.util.Set<String> keyWindows;

    Redaction(Secret apiKey) {
        this.apiKey = apiKey;
        String key = apiKey.reveal();
        java.util.Set<String> windows = new java.util.HashSet<>();
        // A very short "key" (a test placeholder) would shred ordinary words; real keys are long.
        if (key.length() >= 2 * WINDOW) {
            for (int i = 0; i + WINDOW <= key.length(); i++) {
                windows.add(key.substring(i, i + WINDOW));
            }
        }
        this.keyWindows = java.util.Set.copyOf(windows);
    }

    /** The text with every trace of the key and every key-shaped word removed; nothing else changed. */
    String redactSecrets(String text) {
        if (text == null) {
            return "";
        }
        String key = apiKey.reveal();
        String scrubbed = text;
        if (key.length() >= 8) {
            scrubbed = scrubbed.replace(key, "[redacted]");
            String bare = key.replaceFirst("^sk-(?:proj-|svcacct-|admin-)?", "");
            if (bare.length() >= 8 && !bare.equals(key)) {
                scrubbed = scrubbed.replace(bare, "[redacted]");
            }
        }
        scrubbed = KEY_LIKE.matcher(scrubbed).replaceAll("[redacted]");
        if (!keyWindows.isEmpty()) {
            scrubbed = WORD.matcher(scrubbed).replaceAll(word -> sharesARunWithTheKey(word.group())
                    ? "[redacted]" : java.util.regex.Matcher.quoteReplacement(word.group()));
        }
        return scrubbed;
    }

    private boolean sharesARunWithTheKey(String word) {
        for (int i = 0; i + WINDOW <= word.length(); i++) {
            if (keyWindows.contains(word.substring(i, i + WINDOW))) {
                return true;
            }
        }
        return false;
    }

    /** The text with the key and anything shaped like an OpenAI key removed, cut to a readable length. */
    String scrub(String text) {
        String scrubbed = redactSecrets(text);
        scrubbed = scrubbed.replaceAll("\\s+", " ").strip();
        return scrubbed.length() > MAX_LENGTH ? scrubbed.substring(0, MAX_LENGTH) + "..." : scrubbed;
    }
}
