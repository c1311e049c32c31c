package ai.interviewinsights.domain.model.sdp;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code <type>=<value>} line exactly as it arrived, including its terminator, so that serialising the parsed
 * description reproduces the input byte for byte.
 *
 * @param number     1-based line number
 * @param type       the type letter ({@code v}, {@code o}, {@code m}, {@code a}, ...)
 * @param value      everything after {@code =}, without the terminator
 * @param terminator {@code "\r\n"}, {@code "\n"}, or {@code ""} for a last line without one
 */
public record SdpLine(int number, char type, String value, String terminator) {

    /** The line as it appeared, without its terminator. */
    public String text() {
        return type + "=" + value;
    }

    /** For an {@code a=} line, the attribute name ({@code a=setup:actpass} gives {@code setup}). */
    public Optional<String> attributeName() {
        if (type != 'a') {
            return Optional.empty();
        }
        int colon = value.indexOf(':');
        return Optional.of(colon < 0 ? value : value.substring(0, colon));
    }

    /** For an {@code a=name:value} line, the value; empty for a property attribute such as {@code a=rtcp-mux}. */
    public Optional<String> attributeValue() {
        if (type != 'a') {
            return Optional.empty();
        }
        int colon = value.indexOf(':');
        return colon < 0 ? Optional.empty() : Optional.of(value.substring(colon + 1));
    }

    /**
     * Whether this is an {@code a=} line of attribute {@code name}: what {@code attributeName()} would say, without its
     * Optional and substring (every attribute lookup asks each line of a section, once per offer in a runner that is
     * mostly interpreted: issue 16).
     */
    public boolean isAttribute(String name) {
        Objects.requireNonNull(name, "name");
        return type == 'a' && name.indexOf(':') < 0 && value.startsWith(name)
                && (value.length() == name.length() || value.charAt(name.length()) == ':');
    }
}
