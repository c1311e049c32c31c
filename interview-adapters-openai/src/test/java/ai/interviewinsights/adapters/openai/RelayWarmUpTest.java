package ai.interviewinsights.adapters.openai;

import static ai.interviewinsights.adapters.openai.OpenAiTesting.answer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.MutableClock;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay's warm-up before a runner reports ready (decision 0017): one keyless request that creates nothing, and
 * the connection it opened carries the first relay.
 */
class RelayWarmUpTest {

    @StartStop
    final MockWebServer server = new MockWebServer();

    private OpenAiAdapters openai;

    @BeforeEach
    void create() {
        openai = OpenAiAdapters.create(OpenAiTesting.config(server), MutableClock.at("2026-11-22T10:00:00Z"));
    }

    @AfterEach
    void close() {
        openai.close();
    }

    @Test
    void the_warm_up_sends_one_keyless_get_and_the_first_relay_reuses_its_connection() throws Exception {
        // What OpenAI answers a request without a key: an error document with a body.
        server.enqueue(new MockResponse.Builder().code(401).setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"Missing bearer authentication\",\"type\":\"invalid_request_error\"}}")
                .build());
        String offerText = Fixtures.resource("sdp/chrome-offer.sdp");
        server.enqueue(answer(Fixtures.resource("sdp/openai-answer.sdp"), "rtc_warm_1"));

        openai.realtime().warmUp();
        RecordedRequest probe = server.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("GET", probe.getMethod());
        assertEquals("/v1", probe.getUrl().encodedPath());
        assertNull(probe.getHeaders().get("Authorization"), "the probe carries no key");

        RelayedCall call = openai.realtime().relay(SdpOffer.validate(offerText), RealtimeRequestsTest.SESSION);
        RecordedRequest relay = server.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("/v1/realtime/calls", relay.getUrl().encodedPath());
        assertEquals("rtc_warm_1", call.callId().value());
        assertEquals(probe.getConnectionIndex(), relay.getConnectionIndex(), "the warmed connection is reused");
        assertEquals(2, server.getRequestCount(), "no retry in between");
    }
}
