package ai.interviewinsights.domain.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one set of test vectors for reading {@code Retry-After} (RFC 9110 section 10.2.3), run against each HTTP
 * adapter's copy of the rule (decision 0005): adapters may not share code, so they share these vectors instead, and
 * a copy that drifts from the others fails here. The rule itself is written out on the adapters' {@code RetryAfter}.
 */
public abstract class RetryAfterContract {

    /** The injected clock's instant in every vector: Sunday, 22 November 2026, 10:00:00 UTC. */
    protected static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    /** The adapter's copy of the rule. */
    protected abstract Optional<Duration> parse(String value, String dateHeader, Instant localNow);

    static Stream<Arguments> vectors() {
        return Stream.of(
                // delta-seconds
                Arguments.of("7", null, Optional.of(Duration.ofSeconds(7))),
                Arguments.of(" 7 ", null, Optional.of(Duration.ofSeconds(7))),
                Arguments.of("0", null, Optional.of(Duration.ZERO)),
                Arguments.of("120", "Sun, 22 Nov 2026 09:00:00 GMT", Optional.of(Duration.ofSeconds(120))),
                Arguments.of("999999999", null, Optional.of(Duration.ofSeconds(999_999_999L))),
                Arguments.of("99999999999999999999999", null, Optional.of(Duration.ofSeconds(999_999_999L))),
                // an HTTP date, against the local clock when the reply has no Date
                Arguments.of("Sun, 22 Nov 2026 10:00:30 GMT", null, Optional.of(Duration.ofSeconds(30))),
                Arguments.of("Sun, 22 Nov 2026 09:00:00 GMT", null, Optional.of(Duration.ZERO)),
                // ... and against the reply's own Date when it has a valid one (skew does not count)
                Arguments.of("Sun, 22 Nov 2026 10:00:30 GMT", "Sun, 22 Nov 2026 10:00:20 GMT",
                        Optional.of(Duration.ofSeconds(10))),
                Arguments.of("Sun, 22 Nov 2026 10:00:30 GMT", "yesterday", Optional.of(Duration.ofSeconds(30))),
                // no advice: the caller's backoff applies
                Arguments.of(null, null, Optional.empty()),
                Arguments.of("", null, Optional.empty()),
                Arguments.of("   ", null, Optional.empty()),
                Arguments.of("-5", null, Optional.empty()),
                Arguments.of("1.5", null, Optional.empty()),
                Arguments.of("soon", null, Optional.empty()),
                Arguments.of("٣", null, Optional.empty()), // a digit, but not an ASCII one
                Arguments.of("2026-11-22T10:00:30Z", null, Optional.empty()));
    }

    @ParameterizedTest(name = "Retry-After [{0}] with Date [{1}] -> {2}")
    @MethodSource("vectors")
    void reads_retry_after_by_the_house_rule(String value, String date, Optional<Duration> expected) {
        assertEquals(expected, parse(value, date, NOW));
    }
}
