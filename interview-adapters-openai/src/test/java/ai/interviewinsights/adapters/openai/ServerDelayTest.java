package ai.interviewinsights.adapters.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

/** Reading how long OpenAI asked us to wait. */
class ServerDelayTest {

    /** When the replies arrived, by the injected clock. */
    private static final Instant ARRIVED = Instant.parse("2026-11-22T10:00:00Z");

    private static HttpReply reply(int code, String... headers) {
        return new HttpReply(code, Headers.of(headers), "", ARRIVED);
    }

    @Test
    void retry_after_ms_wins_over_retry_after() {
        assertEquals(Optional.of(Duration.ofMillis(250)),
                ServerDelay.of(reply(429, "retry-after-ms", "250", "Retry-After", "7")));
    }

    @Test
    void retry_after_in_seconds_and_as_an_http_date_measured_against_the_reply_date() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), ServerDelay.of(reply(503, "Retry-After", "7")));
        assertEquals(Optional.of(Duration.ofSeconds(30)), ServerDelay.of(reply(429,
                "Date", "Sun, 22 Nov 2026 10:00:00 GMT", "Retry-After", "Sun, 22 Nov 2026 10:00:30 GMT")));
    }

    @Test
    void a_retry_after_date_without_a_reply_date_is_measured_from_the_arrival_by_the_injected_clock() {
        assertEquals(Optional.of(Duration.ofSeconds(45)), ServerDelay.of(reply(429,
                "Retry-After", "Sun, 22 Nov 2026 10:00:45 GMT")));
    }

    @Test
    void the_reset_of_the_exhausted_limit_is_used_when_nothing_else_is_said() {
        assertEquals(Optional.of(Duration.ofMillis(1500)), ServerDelay.of(reply(429,
                "x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "1.5s",
                "x-ratelimit-remaining-tokens", "100", "x-ratelimit-reset-tokens", "6m0s")));
        assertEquals(Optional.empty(), ServerDelay.of(reply(429,
                "x-ratelimit-remaining-requests", "3", "x-ratelimit-reset-requests", "1s")));
    }

    @Test
    void go_durations_are_parsed_and_garbage_is_not() {
        assertEquals(Optional.of(Duration.ofMinutes(6)), ServerDelay.goDuration("6m0s"));
        assertEquals(Optional.of(Duration.ofMillis(20)), ServerDelay.goDuration("20ms"));
        assertEquals(Optional.of(Duration.ofSeconds(3723)), ServerDelay.goDuration("1h2m3s"));
        assertEquals(Optional.empty(), ServerDelay.goDuration("soon"));
        assertEquals(Optional.empty(), ServerDelay.goDuration("5 s"));
        assertEquals(Optional.empty(), ServerDelay.goDuration(""));
    }

    @Test
    void only_429_and_503_carry_a_wait_that_matters() {
        assertEquals(Optional.empty(), ServerDelay.of(reply(500, "Retry-After", "7")));
        assertEquals(Optional.empty(), ServerDelay.of(reply(429, "Retry-After", "whenever")));
    }
}
