package ai.interviewinsights.adapters.openai;

import static ai.interviewinsights.adapters.openai.OpenAiTesting.FAKE_KEY;
import static ai.interviewinsights.adapters.openai.OpenAiTesting.answer;
import static ai.interviewinsights.adapters.openai.OpenAiTesting.error;
import static ai.interviewinsights.adapters.openai.OpenAiTesting.jsonReply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.model.sdp.SdpRejectedException;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.MutableClock;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each way OpenAI can fail ends in the right typed error or, after honoured retries, in success; never in a raw
 * exception. Retries are counted from the requests the server recorded.
 */
class ErrorPathsTest {

    static final SdpOffer OFFER = SdpOffer.validate(Fixtures.resource("sdp/chrome-offer.sdp"));
    static final String ANSWER = Fixtures.resource("sdp/openai-answer.sdp");

    @StartStop
    final MockWebServer server = new MockWebServer();

    private OpenAiAdapters openai;

    private OpenAiAdapters openai(OpenAiConfig config) {
        openai = OpenAiAdapters.create(config, MutableClock.at("2026-11-22T10:00:00Z"));
        return openai;
    }

    private OpenAiAdapters openai() {
        return openai(OpenAiTesting.config(server));
    }

    @AfterEach
    void close() {
        if (openai != null) {
            openai.close();
        }
    }

    private DomainException relayFails() {
        return assertThrows(DomainException.class, () -> openai().realtime().relay(OFFER, RealtimeRequestsTest.SESSION));
    }

    @Test
    void a_400_with_every_error_field_empty_becomes_a_clear_bad_request() {
        server.enqueue(jsonReply(400, "{\"error\":{\"message\":\"\",\"type\":\"\",\"param\":\"\",\"code\":\"\"}}"));

        DomainException e = relayFails();

        assertEquals("openai.bad_request", e.code());
        assertEquals(ErrorKind.UPSTREAM_FAILED, e.kind());
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("left every error field empty"), e.getMessage());
        assertTrue(e.getMessage().contains("req_test_400"), "the request id helps OpenAI's support");
        assertEquals(1, server.getRequestCount(), "a 400 is not retried");
    }

    @Test
    void a_400_carries_openai_code_and_message() {
        server.enqueue(error(400, "invalid_request_error", "invalid_value", "Invalid value: 'nova'. Supported values"
                + " are: 'alloy', 'marin'."));

        DomainException e = relayFails();

        assertEquals("openai.bad_request", e.code());
        assertTrue(e.getMessage().contains("invalid_value"), e.getMessage());
        assertTrue(e.getMessage().contains("Invalid value: 'nova'"), e.getMessage());
    }

    @Test
    void a_401_is_unauthorized_without_repeating_openai_message_which_quotes_the_key() {
        server.enqueue(error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided: "
                + FAKE_KEY.substring(0, 8) + "****" + FAKE_KEY.substring(FAKE_KEY.length() - 4) + "."));

        DomainException e = relayFails();

        assertEquals("openai.unauthorized", e.code());
        assertEquals(ErrorKind.UPSTREAM_FAILED, e.kind());
        assertFalse(e.getMessage().contains("****"), e.getMessage());
        assertFalse(e.getMessage().contains(FAKE_KEY.substring(FAKE_KEY.length() - 4)), e.getMessage());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void a_429_is_retried_after_the_retry_after_openai_asked_for_then_succeeds() {
        server.enqueue(new MockResponse.Builder(error(429, "requests", "rate_limit_exceeded", "Rate limit reached"))
                .setHeader("Retry-After", "1").build());
        server.enqueue(answer(ANSWER, "rtc_after_wait"));

        long started = System.nanoTime();
        RelayedCall call = openai().realtime().relay(OFFER, RealtimeRequestsTest.SESSION);
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertEquals(new RealtimeCallId("rtc_after_wait"), call.callId());
        assertEquals(2, server.getRequestCount());
        assertTrue(waitedMs >= 1000, "Retry-After: 1 was honoured, waited " + waitedMs + " ms");
    }

    @Test
    void openai_retry_after_ms_and_an_exhausted_rate_limit_reset_are_honoured_too() {
        server.enqueue(new MockResponse.Builder(error(429, "requests", "rate_limit_exceeded", "slow down"))
                .setHeader("retry-after-ms", "300").build());
        server.enqueue(new MockResponse.Builder(error(429, "tokens", "rate_limit_exceeded", "slow down"))
                .setHeader("x-ratelimit-remaining-requests", "12")
                .setHeader("x-ratelimit-reset-requests", "6m0s")
                .setHeader("x-ratelimit-remaining-tokens", "0")
                .setHeader("x-ratelimit-reset-tokens", "400ms").build());
        server.enqueue(new MockResponse.Builder().code(200).build());

        long started = System.nanoTime();
        openai().realtime().hangUp(new RealtimeCallId("rtc_busy"));
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertEquals(3, server.getRequestCount());
        assertTrue(waitedMs >= 700, "300 ms then 400 ms were honoured, waited " + waitedMs + " ms");
    }

    @Test
    void a_429_that_keeps_coming_ends_as_rate_limited_and_retryable() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(error(429, "requests", "rate_limit_exceeded", "Rate limit reached"));
        }

        DomainException e = relayFails();

        assertEquals("openai.rate_limited", e.code());
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertTrue(e.retryable());
        assertEquals(3, server.getRequestCount(), "all three attempts were made");
    }

    @Test
    void a_retry_after_longer_than_we_wait_fails_at_once() {
        server.enqueue(new MockResponse.Builder(error(429, "requests", "rate_limit_exceeded", "Rate limit reached"))
                .setHeader("Retry-After", "3600").build());

        DomainException e = assertThrows(DomainException.class,
                () -> openai().realtime().hangUp(new RealtimeCallId("rtc_x")));

        assertEquals("openai.rate_limited", e.code());
        assertTrue(e.getMessage().contains("3600.0 s"), e.getMessage());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void an_exhausted_quota_is_not_retried() {
        server.enqueue(error(429, "insufficient_quota", "insufficient_quota", "You exceeded your current quota"));

        DomainException e = relayFails();

        assertEquals("openai.quota_exceeded", e.code());
        assertEquals(ErrorKind.UPSTREAM_FAILED, e.kind());
        assertFalse(e.retryable());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void a_500_is_retried_and_a_later_success_wins() {
        server.enqueue(error(500, "server_error", null, "The server had an error"));
        server.enqueue(answer(ANSWER, "rtc_second_try"));

        RelayedCall call = openai().realtime().relay(OFFER, RealtimeRequestsTest.SESSION);

        assertEquals(new RealtimeCallId("rtc_second_try"), call.callId());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void a_500_that_persists_is_unavailable() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(error(500, "server_error", null, "The server had an error"));
        }

        DomainException e = relayFails();

        assertEquals("openai.unavailable", e.code());
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertTrue(e.retryable());
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void a_503_overload_is_unavailable_and_retryable() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(error(503, "server_error", "overloaded", "The engine is currently overloaded"));
        }

        DomainException e = assertThrows(DomainException.class,
                () -> openai().realtime().mintClientSecret(RealtimeRequestsTest.SESSION, Duration.ofMinutes(1)));

        assertEquals("openai.unavailable", e.code());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("overloaded"), e.getMessage());
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void other_4xx_are_never_retried() {
        server.enqueue(error(403, "invalid_request_error", "unsupported_country_region_territory",
                "Country, region, or territory not supported"));

        DomainException e = relayFails();

        assertEquals("openai.forbidden", e.code());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void a_reply_that_never_comes_is_a_timeout() {
        for (int i = 0; i < 2; i++) {
            server.enqueue(new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).code(200).build());
        }
        OpenAiConfig impatient = OpenAiTesting.config(server)
                .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(1))
                .withRetry(new OpenAiConfig.Retry(2, Duration.ofMillis(10), Duration.ofMillis(10), 0,
                        Duration.ofSeconds(1)));

        DomainException e = assertThrows(DomainException.class,
                () -> openai(impatient).realtime().hangUp(new RealtimeCallId("rtc_slow")));

        assertEquals("openai.timeout", e.code());
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertTrue(e.retryable());
        assertEquals(2, server.getRequestCount(), "a timeout is retried like a dropped connection");
    }

    @Test
    void a_connection_that_cannot_be_made_is_unavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        OpenAiConfig nowhere = OpenAiTesting.config(server).withBaseUrl(URI.create("http://127.0.0.1:" + closedPort));

        DomainException e = assertThrows(DomainException.class,
                () -> openai(nowhere).realtime().hangUp(new RealtimeCallId("rtc_x")));

        assertEquals("openai.unavailable", e.code());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("ConnectException"), e.getMessage());
    }

    @Test
    void a_201_whose_body_is_not_sdp_is_a_malformed_answer_and_the_call_is_hung_up() throws Exception {
        server.enqueue(new MockResponse.Builder().code(201).setHeader("Content-Type", "application/json")
                .setHeader("Location", "/v1/realtime/calls/rtc_strange").body("{\"error\":null}").build());
        server.enqueue(new MockResponse.Builder().code(200).build());

        DomainException e = relayFails();

        assertEquals("openai.malformed_answer", e.code());
        assertEquals(ErrorKind.UPSTREAM_FAILED, e.kind());
        server.takeRequest(1, TimeUnit.SECONDS);
        assertEquals("/v1/realtime/calls/rtc_strange/hangup", server.takeRequest(1, TimeUnit.SECONDS).getTarget());
    }

    @Test
    void an_answer_that_fails_validation_is_rejected_with_its_rule_and_the_call_is_hung_up() throws Exception {
        String noFingerprint = ANSWER.replaceAll("a=fingerprint:[^\\r\\n]*\\r?\\n", "");
        server.enqueue(answer(noFingerprint, "rtc_bad_answer"));
        server.enqueue(new MockResponse.Builder().code(200).build());

        SdpRejectedException e = assertThrows(SdpRejectedException.class,
                () -> openai().realtime().relay(OFFER, RealtimeRequestsTest.SESSION));

        assertTrue(e.code().startsWith("sdp."), e.code());
        server.takeRequest(1, TimeUnit.SECONDS);
        assertEquals("/v1/realtime/calls/rtc_bad_answer/hangup", server.takeRequest(1, TimeUnit.SECONDS).getTarget());
    }

    @Test
    void an_answer_without_location_has_no_call_id() {
        server.enqueue(answer(ANSWER, null));

        DomainException e = relayFails();

        assertEquals("openai.missing_call_id", e.code());
        assertEquals(ErrorKind.UPSTREAM_FAILED, e.kind());
    }

    @Test
    void a_location_without_a_usable_id_has_no_call_id_either() {
        server.enqueue(new MockResponse.Builder().code(201).setHeader("Location", "/v1/realtime/calls/rtc$%5E")
                .body(ANSWER).build());

        assertEquals("openai.missing_call_id", relayFails().code());
    }

    @Test
    void the_relay_does_not_wait_past_its_budget_for_a_retry_after() {
        server.enqueue(new MockResponse.Builder(error(503, "server_error", null, "overloaded"))
                .setHeader("Retry-After", "3").build());

        DomainException e = relayFails();

        assertEquals("openai.unavailable", e.code());
        assertEquals(1, server.getRequestCount(), "3 s do not fit a 2 s budget: the offer would be stale");
    }

    @Test
    void the_relay_stops_retrying_when_its_budget_is_spent() {
        for (int i = 0; i < 10; i++) {
            server.enqueue(error(500, "server_error", null, "The server had an error"));
        }
        OpenAiConfig config = OpenAiTesting.config(server)
                .withRetry(new OpenAiConfig.Retry(10, Duration.ofMillis(300), Duration.ofMillis(300), 0,
                        Duration.ofSeconds(5)))
                .withRelayBudget(Duration.ofMillis(700));

        long started = System.nanoTime();
        DomainException e = assertThrows(DomainException.class,
                () -> openai(config).realtime().relay(OFFER, RealtimeRequestsTest.SESSION));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertEquals("openai.unavailable", e.code());
        assertTrue(server.getRequestCount() < 10, "stopped after " + server.getRequestCount() + " attempts");
        assertTrue(tookMs < 5_000, "a 700 ms budget ended in " + tookMs + " ms");
    }

    @Test
    void a_client_secret_reply_without_its_value_is_malformed() {
        server.enqueue(jsonReply(200, "{\"expires_at\": 1795000000, \"session\": {}}"));

        DomainException e = assertThrows(DomainException.class,
                () -> openai().realtime().mintClientSecret(RealtimeRequestsTest.SESSION, Duration.ofMinutes(1)));

        assertEquals("openai.malformed_reply", e.code());
    }

    @Test
    void a_client_secret_lifetime_outside_openai_range_is_refused_before_any_request() {
        DomainException e = assertThrows(DomainException.class,
                () -> openai().realtime().mintClientSecret(RealtimeRequestsTest.SESSION, Duration.ofHours(3)));

        assertEquals("openai.invalid_ttl", e.code());
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void a_hang_up_that_fails_for_good_is_typed() {
        server.enqueue(error(400, "invalid_request_error", "invalid_call", "Call is SIP-only"));

        DomainException e = assertThrows(DomainException.class,
                () -> openai().realtime().hangUp(new RealtimeCallId("rtc_x")));

        assertEquals("openai.bad_request", e.code());
    }
}
