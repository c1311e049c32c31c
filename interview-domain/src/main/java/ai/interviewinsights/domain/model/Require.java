package ai.interviewinsights.domain.model;

import java.util.Collection;

/** Argument checks used by compact constructors; each failure is an {@link ErrorKind#INVALID_INPUT} with a code. */
public final class Require {

    private Require() {
    }

    public static <T> T present(T value, String field) {
        if (value == null) {
            throw DomainException.invalid("invalid." + field, field + " is required");
        }
        return value;
    }

    /** A non-blank text of at most {@code max} characters, stripped of surrounding white space. */
    public static String text(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            throw DomainException.invalid("invalid." + field, field + " is required and must not be blank");
        }
        String stripped = value.strip();
        if (stripped.length() > max) {
            throw DomainException.invalid("invalid." + field, field + " must be at most " + max + " characters");
        }
        return stripped;
    }

    /** Like {@link #text} but an absent or blank value becomes the empty string. */
    public static String optionalText(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            return "";
        }
        return text(value, field, max);
    }

    public static int between(int value, int min, int max, String field) {
        if (value < min || value > max) {
            throw DomainException.invalid("invalid." + field,
                    field + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    public static <T extends Collection<?>> T notEmpty(T values, String field) {
        if (values == null || values.isEmpty()) {
            throw DomainException.invalid("invalid." + field, field + " must not be empty");
        }
        return values;
    }
}
