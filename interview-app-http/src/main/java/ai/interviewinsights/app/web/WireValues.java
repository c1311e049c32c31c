package ai.interviewinsights.app.web;

import ai.interviewinsights.domain.model.DomainException;
import java.util.Locale;

/** How both API contracts spell the domain's enums on the wire (lower case), and read them back with a stable code. */
public final class WireValues {

    private WireValues() {
    }

    public static String wire(String enumName) {
        return enumName.toLowerCase(Locale.ROOT);
    }

    public static <E extends Enum<E>> E enumOf(Class<E> type, String value, String field) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw DomainException.invalid("invalid." + field, field + " has an unknown value");
        }
    }

    public static <T> T require(T value, String field) {
        if (value == null) {
            throw DomainException.invalid("invalid." + field, field + " is required");
        }
        return value;
    }
}
