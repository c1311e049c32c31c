package ai.interviewinsights.adapters.openai;

import ai.interviewinsights.domain.model.Redactor;
import ai.interviewinsights.domain.model.Secret;
import java.util.regex.Pattern;

/**
 * Scrubs text that came from OpenAI before it reaches a log or an exception message. OpenAI's own error messages
 * quote part of a rejected key ("Incorrect API key provided: sk-proj-****abcd"), and an echoed request could carry a
 * minted client secret; neither may leave the adapter. The rule is the domain's {@link Redactor} (one rule for every
 * adapter); what this class adds is OpenAI's knowledge: the shapes of its keys and secrets.
 */
final class Redaction {

    /** OpenAI's key and secret shapes: API keys ({@code sk-}, {@code sk-proj-}), ephemeral secrets ({@code ek_}). */
    static final Pattern KEY_LIKE = Pattern.compile("\\b(?:sk|ek|rk|sess)[-_][A-Za-z0-9_*.\\-]{3,}");

    private final Redactor redactor;

    Redaction(Secret apiKey) {
        this.redactor = Redactor.hiding(apiKey).andShapes(KEY_LIKE);
    }

    /** The text with the key and anything shaped like an OpenAI key removed, cut to a readable length. */
    String scrub(String text) {
        return redactor.scrub(text);
    }
}
