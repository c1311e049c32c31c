package ai.interviewinsights.app.web;

import java.util.List;

/**
 * An RFC 9457 problem document with our stable {@code code}. {@code type} is a URN naming the code, so clients can
 * switch on either; {@code detail} is written for the person who can fix the request.
 *
 * @param violations for SDP rejections: the line and rule; otherwise absent
 * @param retryable  for failures of the interview's own rules and outside services: whether the same request may
 *                   succeed later unchanged (an outside service down, a rate limit); absent for malformed requests
 */
public record Problem(String type, String title, int status, String detail, String code, String instance,
                      String requestId, List<Violation> violations, Boolean retryable) {

    public static final String CONTENT_TYPE = "application/problem+json";

    /** One rule broken, with where. */
    public record Violation(Integer line, String rule) {
    }

    public static Problem of(int status, String code, String title, String detail, String instance,
                             String requestId) {
        return new Problem("urn:interview-insights:problem:" + code, title, status, detail, code, instance, requestId,
                null, null);
    }

    public Problem withViolation(int line, String rule) {
        return new Problem(type, title, status, detail, code, instance, requestId, List.of(new Violation(line, rule)),
                retryable);
    }

    public Problem withRetryable(boolean value) {
        return new Problem(type, title, status, detail, code, instance, requestId, violations, value);
    }

    /** Whether the problem says the same request may succeed later; false when it does not say. */
    public boolean isRetryable() {
        return Boolean.TRUE.equals(retryable);
    }
}
