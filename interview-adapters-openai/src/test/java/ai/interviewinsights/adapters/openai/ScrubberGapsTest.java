package ai.interviewinsights.adapters.openai;

import static ai.interviewinsights.adapters.openai.OpenAiTesting.FAKE_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.MutableClock;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two ways text from across the wire used to carry the key into our errors: OpenAI's {@code x-request-id} header
 * (repeated unscrubbed), and the key quoted without its {@code sk-} prefix (only prefixed shapes were caught).
 */
class ScrubberGapsTest {

    static final SdpOffer OFFER = SdpOffer.validate(Fixtures.resource("sdp/chrome-offer.sdp"));
    /** The fake key without its prefix, as a proxy or an error message might quote it. */
    static final String BARE = FAKE_KEY.substring("sk-proj-".length());

    @StartStop
    final MockWebServer server = new MockWebServer();

    private OpenAiAdapters openai;

    @AfterEach
    void close() {
        if (openai != null) {
            openai.close();
        }
    }

    private DomainException relayFailure(MockResponse reply) {
        server.enqueue(reply);
        openai = OpenAiAdapters.create(OpenAiTesting.config(server), MutableClock.at("2026-11-22T10:00:00Z"));
        return assertThrows(DomainException.class, () -> openai.realtime().relay(OFFER, RealtimeRequestsTest.SESSION));
    }

    private static MockResponse reply(int code, String requestId, String message) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                .setHeader("x-request-id", requestId)
                .body("{\"error\":{\"message\":\"" + message + "\",\"type\":\"invalid_request_error\"}}").build();
    }

    private static void assertNoTraceOfTheKey(DomainException e) {
        String text = e.getMessage() + " " + e;
        assertFalse(text.contains(FAKE_KEY), text);
        assertFalse(text.contains(BARE), text);
        assertFalse(text.contains("RECOGNISABLE-fake"), text);
        assertFalse(text.contains("0123456789abcdef"), text);
    }

    @Test
    void a_key_echoed_in_x_request_id_does_not_reach_the_error() {
        assertNoTraceOfTheKey(relayFailure(reply(400, FAKE_KEY, "bad offer")));
        assertNoTraceOfTheKey(relayFailure(reply(403, BARE, "no access")));
    }

    @Test
    void a_key_quoted_without_its_prefix_does_not_reach_the_error() {
        DomainException e = relayFailure(reply(400, "req_0a1b2c3d", "Incorrect API key provided: " + BARE
                + ". You can find your API key at the dashboard."));
        assertNoTraceOfTheKey(e);
        assertTrue(e.getMessage().contains("req_0a1b2c3d"), "a plain request id is still reported: " + e.getMessage());
        assertTrue(e.getMessage().contains("[redacted]"), e.getMessage());
    }

    @Test
    void a_request_id_that_is_not_a_plain_token_is_not_repeated() {
        DomainException e = relayFailure(reply(400, "req_1 <script>alert(1)</script>", "bad offer"));
        assertFalse(e.getMessage().contains("<script>"), e.getMessage());
        assertTrue(e.getMessage().contains("request id unrecognised"), e.getMessage());
    }

    @Test
    void the_scrubber_removes_partial_and_prefixless_quotes_but_leaves_ordinary_text() {
        Redaction redaction = new Redaction(Secret.of(FAKE_KEY));
        assertEquals("key [redacted] was wrong", redaction.scrub("key " + BARE + " was wrong"));
        assertEquals("key [redacted] was wrong", redaction.scrub("key " + FAKE_KEY.substring(10, 40) + " was wrong"));
        assertEquals("[redacted] and [redacted]", redaction.scrub("proj-abc123 and svcacct-xyz789"));
        assertEquals("request req_8f1b2c3d4e5f60718293a4b5c6d7e8f9 failed: model not found",
                redaction.scrub("request req_8f1b2c3d4e5f60718293a4b5c6d7e8f9 failed: model not found"));
    }
}
