package ai.interviewinsights.adapters.openai;

import ai.interviewinsights.domain.model.Redactor;
import ai.interviewinsights.domain.model.Secret;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scrubs text that came from OpenAI before it reaches a log or an exception message. OpenAI's own error messages
 * quote part of a rejected key ("Incorrect API key provided: sk-proj-****abcd"), and an echoed request could carry a
 * minted client secret; neither may leave the adapter. The rule is the domain's {@link Redactor} (one rule for every
 * adapter: known secrets, then shapes, then folding and cutting); what this class adds is OpenAI's knowledge.
 *
 * <p>What is removed on top of the shared rule: the key without its prefix ({@code sk-}, {@code sk-proj-}, ...); any
 * word that shares a run of {@value #WINDOW} characters with the key (a key quoted in part, or without its prefix);
 * and anything shaped like an OpenAI key or secret ({@code sk-}, {@code ek_}, {@code proj-}, ...).
 */
final class Redaction {

    /** OpenAI's key and secret shapes: API keys ({@code sk-}, {@code sk-proj-}, ...), ephemeral secrets ({@code ek_}). */
    static final Pattern KEY_LIKE = Pattern.compile(
            "\\b(?:sk|ek|rk|sess|proj|svcacct|admin)[-_][A-Za-z0-9_*.\\-]{3,}");
    static final int WINDOW = 12;
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_\\-]{" + WINDOW + ",}");

    private final Secret apiKey;
    private final Redactor redactor;
    private final Set<String> keyWindows;

    Redaction(Secret apiKey) {
        this.apiKey = apiKey;
        this.redactor = Redactor.hiding(apiKey).andShapes(KEY_LIKE);
        String key = apiKey.reveal();
        Set<String> windows = new HashSet<>();
        // A very short "key" (a test placeholder) would shred ordinary words; real keys are long.
        if (key.length() >= 2 * WINDOW) {
            for (int i = 0; i + WINDOW <= key.length(); i++) {
                windows.add(key.substring(i, i + WINDOW));
            }
        }
        this.keyWindows = Set.copyOf(windows);
    }

    /** The text with every trace of the key and every key-shaped word removed; nothing else changed. */
    String redactSecrets(String text) {
        String scrubbed = redactor.hideSecrets(text);
        String key = apiKey.reveal();
        if (key.length() >= 8) {
            String bare = key.replaceFirst("^sk-(?:proj-|svcacct-|admin-)?", "");
            if (bare.length() >= 8 && !bare.equals(key)) {
                scrubbed = scrubbed.replace(bare, Redactor.MARK);
            }
        }
        scrubbed = KEY_LIKE.matcher(scrubbed).replaceAll(Redactor.MARK);
        if (!keyWindows.isEmpty()) {
            scrubbed = WORD.matcher(scrubbed).replaceAll(word -> sharesARunWithTheKey(word.group())
                    ? Redactor.MARK : Matcher.quoteReplacement(word.group()));
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

    /** The text with the key and anything shaped like an OpenAI key removed, folded and cut to a readable length. */
    String scrub(String text) {
        return redactor.scrub(redactSecrets(text));
    }
}
