package ai.interviewinsights.adapters.flyio;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The house rule for reading an HTTP {@code Retry-After} value (RFC 9110 section 10.2.3). Every HTTP adapter holds
 * this same class, word for word, because adapters never depend on each other (decision 0005); the domain's
 * {@code RetryAfterContract} runs one set of test vectors against each copy, so a copy that drifts fails its build.
 * <ul>
 *   <li>delta-seconds (ASCII digits only) is that many seconds; more than nine digits means "longer than anyone
 *       waits" and reads as 999,999,999 s, so the caller's own maximum turns it down;</li>
 *   <li>an HTTP date is the wait from now until then, never negative, where "now" is the reply's own {@code Date}
 *       header when it has a valid one (so our clock's skew does not count), else the injected clock's instant;</li>
 *   <li>anything else (absent, blank, negative, fractional, garbage) is no advice: the caller's backoff applies.</li>
 * </ul>
 * Vendor-specific headers (OpenAI's {@code retry-after-ms}, api.video's {@code X-RateLimit-Retry-After}) are read
 * by their adapters around this rule, not in it.
 */
final class RetryAfter {

    private static final long LONGEST_SECONDS = 999_999_999L;

    private RetryAfter() {
    }

    /**
     * @param value    the header's value, or {@code null}
     * @param date     the reply's {@code Date} header, or {@code null}
     * @param localNow the injected clock's instant when the reply arrived
     */
    static Optional<Duration> parse(String value, String date, Instant localNow) {
        String text = value == null ? "" : value.strip();
        if (text.matches("[0-9]+")) {
            return Optional.of(Duration.ofSeconds(text.length() > 9 ? LONGEST_SECONDS : Long.parseLong(text)));
        }
        Optional<Instant> until = httpDate(text);
        if (until.isEmpty()) {
            return Optional.empty();
        }
        Duration wait = Duration.between(httpDate(date).orElse(localNow), until.get());
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    }

    private static Optional<Instant> httpDate(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZonedDateTime.parse(text.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (RuntimeException notADate) {
            return Optional.empty();
        }
    }
}
