package ai.interviewinsights.domain.model.interview;

import ai.interviewinsights.domain.model.DomainException;
import java.util.IllformedLocaleException;
import java.util.Locale;

/**
 * The interview's language as a well-formed BCP-47 tag ({@code en-US}, {@code de}, {@code pt-BR}).
 * OpenAI's transcription takes only the ISO-639-1 primary language, which {@link #primaryLanguage()} gives.
 */
public record LanguageTag(String value) {

    public LanguageTag {
        if (value == null || value.isBlank() || value.length() > 35) {
            throw DomainException.invalid("invalid.language", "language must be a BCP-47 tag such as en-US");
        }
        Locale locale;
        try {
            // Locale.Builder is strict where Locale.forLanguageTag silently drops ill-formed parts.
            locale = new Locale.Builder().setLanguageTag(value.strip()).build();
        } catch (IllformedLocaleException e) {
            throw DomainException.invalid("invalid.language", "language must be a BCP-47 tag such as en-US");
        }
        if (locale.getLanguage().isEmpty()) {
            throw DomainException.invalid("invalid.language", "language must start with a language subtag");
        }
        value = locale.toLanguageTag();
    }

    public static LanguageTag of(String value) {
        return new LanguageTag(value);
    }

    /** The primary language subtag, e.g. {@code en} for {@code en-US}. */
    public String primaryLanguage() {
        return value.split("-", 2)[0];
    }

    @Override
    public String toString() {
        return value;
    }
}
