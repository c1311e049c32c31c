package ai.interviewinsights.adapters.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.interviewinsights.domain.testing.MutableClock;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * The relay's rehearsal (decision 25, amended): it runs the relay and the hang-up end to end, against a listener on
 * loopback only, and never with the key - the configured OpenAI (here a MockWebServer) sees nothing of it.
 */
class RelayRehearsalTest {

    @StartStop
    final MockWebServer openai = new MockWebServer();

    @Test
    void every_exchange_relays_and_hangs_up_on_loopback_with_a_placeholder_never_the_key() {
        OpenAiConfig config = OpenAiTesting.config(openai);
        OkHttpClient client = new OkHttpClient();
        OpenAiHttp http = new OpenAiHttp(client, HttpUrl.get(openai.url("/").toString()), config.apiKey(),
                config.retry(), config.callTimeout(), new OpenAiErrors(new ObjectMapper(),
                new Redaction(config.apiKey())), MutableClock.at("2026-11-29T08:00:00Z"));

        RelayRehearsal.Outcome outcome = RelayRehearsal.run(http, client, config,
                MutableClock.at("2026-11-29T08:00:00Z"), new ObjectMapper(), 5, () -> false);

        assertEquals(5, outcome.exchanges(), "every relay's answer validated and every hang-up succeeded");
        assertEquals(10, outcome.requests().size(), outcome.requests().toString());
        for (int i = 0; i < 10; i++) {
            String seen = outcome.requests().get(i);
            String expected = i % 2 == 0 ? "POST /v1/realtime/calls HTTP/1.1"
                    : "POST /v1/realtime/calls/" + RelayRehearsal.CALL_ID + "/hangup HTTP/1.1";
            assertEquals(expected + " | Bearer " + RelayRehearsal.CREDENTIAL, seen);
            assertFalse(seen.contains(OpenAiTesting.FAKE_KEY), "the key never goes to the rehearsal");
        }
        assertEquals(0, openai.getRequestCount(), "nothing reaches the configured endpoint");
        assertEquals(0, client.connectionPool().idleConnectionCount(),
                "the rehearsal's last reply closes its connection: nothing of it stays pooled");
    }

    @Test
    void a_real_offer_stops_the_rehearsal_before_its_next_exchange() {
        OpenAiConfig config = OpenAiTesting.config(openai);
        OkHttpClient client = new OkHttpClient();
        OpenAiHttp http = new OpenAiHttp(client, HttpUrl.get(openai.url("/").toString()), config.apiKey(),
                config.retry(), config.callTimeout(), new OpenAiErrors(new ObjectMapper(),
                new Redaction(config.apiKey())), MutableClock.at("2026-11-29T08:00:00Z"));
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();

        RelayRehearsal.Outcome outcome = RelayRehearsal.run(http, client, config,
                MutableClock.at("2026-11-29T08:00:00Z"), new ObjectMapper(), 40, () -> asked.incrementAndGet() > 5);

        // Asked before each relay and before its hang-up: the offer "came" during the third relay, so its hang-up
        // was the last request (closing the connection) and no fourth relay started.
        assertEquals(3, outcome.exchanges(), "three exchanges, then the offer's arrival stopped it");
        assertEquals(6, outcome.requests().size(), outcome.requests().toString());
        assertEquals(0, client.connectionPool().idleConnectionCount(), "its connection is closed all the same");
        assertEquals(0, openai.getRequestCount());
    }

    @Test
    void how_many_exchanges_an_operator_may_set_and_what_is_ignored() {
        assertEquals(0, RelayRehearsal.EXCHANGES, "off unless an operator asks (decision 25, amended)");
        assertEquals(RelayRehearsal.EXCHANGES, RelayRehearsal.exchanges(null));
        assertEquals(RelayRehearsal.SUGGESTED, RelayRehearsal.exchanges(Integer.toString(RelayRehearsal.SUGGESTED)));
        assertEquals(0, RelayRehearsal.exchanges("0"), "0 turns the rehearsal off");
        assertEquals(120, RelayRehearsal.exchanges(" 120 "));
        for (String ignored : new String[] {"-1", "501", "many", ""}) {
            assertEquals(RelayRehearsal.EXCHANGES, RelayRehearsal.exchanges(ignored), ignored);
        }
    }

    @Test
    void the_warm_up_sends_one_keyless_probe_to_openai_and_rehearses_on_loopback() throws Exception {
        openai.enqueue(new MockResponse.Builder().code(401).body("{\"error\":{}}").build());
        try (OpenAiAdapters adapters = OpenAiAdapters.create(OpenAiTesting.config(openai),
                MutableClock.at("2026-11-29T08:00:00Z"))) {
            adapters.realtime().warmUp();
            RecordedRequest probe = openai.takeRequest(5, TimeUnit.SECONDS);
            assertEquals("GET", probe.getMethod());
            assertNull(probe.getHeaders().get("Authorization"), "the probe carries no key");
            assertNull(openai.takeRequest(200, TimeUnit.MILLISECONDS), "nothing else reaches OpenAI");
            assertEquals(1, openai.getRequestCount());
        }
    }
}
