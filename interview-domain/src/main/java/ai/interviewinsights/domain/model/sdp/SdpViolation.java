package ai.interviewinsights.domain.model.sdp;

import java.util.Objects;

/**
 * Why a session description was rejected: the 1-based line at fault and the rule it broke. The rule is a stable
 * code ({@code version_first}, {@code ice_credentials}, ...) that also becomes the error code {@code sdp.<rule>}.
 *
 * @param line   1-based line number; for a missing element, the line of the section that lacks it
 * @param rule   stable rule code, snake_case
 * @param detail what was expected, for a person reading the error (never echoes more than a short excerpt)
 */
public record SdpViolation(int line, String rule, String detail) {

    public SdpViolation {
        if (line < 1) {
            throw new IllegalArgumentException("SDP line numbers start at 1");
        }
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return "line " + line + ": " + rule + " (" + detail + ")";
    }
}
