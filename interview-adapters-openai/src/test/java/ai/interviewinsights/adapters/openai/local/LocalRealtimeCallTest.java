package ai.interviewinsights.adapters.openai.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.openai.local.speech.OfflineVoice;
import ai.interviewinsights.adapters.openai.webrtc.BrowserPeer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real WebRTC call on the local endpoint: a webrtc-java peer in the browser's role offers audio and the
 * {@code oai-events} channel; the endpoint's own webrtc-java peer answers; ICE and DTLS connect over the host's
 * interface; events flow on the data channel and the sideband alike.
 */
class LocalRealtimeCallTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    static final OfflineVoice TEXT_MODE = new OfflineVoice(Optional.empty(), Optional.empty(),
            "text mode (test)");
    static LocalRealtime local;

    @BeforeAll
    static void start() {
        local = LocalRealtime.start(LocalRealtime.Options.defaults().withVoice(TEXT_MODE));
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    @Test
    void the_server_key_appears_in_no_description() {
        LocalRealtime.Options options = LocalRealtime.Options.defaults().withApiKey("sk-local-SECRET-0123456789");
        assertFalse(options.toString().contains("SECRET"));
        assertFalse(local.toString().contains(local.apiKey()));
        assertFalse(local.description().contains(local.apiKey()));
        assertTrue(local.apiKey().startsWith("sk-local-"));
    }

    @Test
    void an_offer_is_answered_by_a_real_peer_and_the_data_channel_carries_events_both_ways() throws Exception {
        try (BrowserPeer browser = new BrowserPeer()) {
            browser.call(local.baseUrl(), local.apiKey());
            assertEquals(201, browser.status);
            assertTrue(browser.callId.matches("rtc_[0-9a-f]{32}"), browser.callId);
            assertTrue(browser.answer.startsWith("v=0"));
            assertTrue(browser.answer.contains("a=candidate:"), "the answer carries its host candidates");
            assertTrue(browser.connected.await(WAIT.toSeconds(), TimeUnit.SECONDS), "ICE/DTLS did not connect");
            assertTrue(browser.open.await(WAIT.toSeconds(), TimeUnit.SECONDS), "oai-events did not open");
            JsonNode created = browser.awaitType("session.created", WAIT);
            assertEquals("realtime", created.path("session").path("type").asText());

            try (Sideband sideband = Sideband.open(local.baseUrl(), "call_id=" + browser.callId, local.apiKey())) {
                // The server's update first. The handshake's 101 can reach the client before the endpoint's open
                // handler has attached the sideband, and a call's events from before that are not the sideband's
                // (OpenAI sends a joining sideband nothing either); a sideband's message is handled only once it is
                // attached, so its session.updated shows every later event reaches it. (Browser first, this failed
                // a CI run: the browser's session.updated went out before the sideband was attached.)
                sideband.send("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\","
                        + "\"instructions\":\"From the server.\"}}");
                assertEquals("From the server.", sideband.awaitType("session.updated", WAIT).path("session")
                        .path("instructions").asText());
                assertEquals("From the server.", browser.awaitType("session.updated", WAIT).path("session")
                        .path("instructions").asText());

                browser.send("{\"type\":\"session.update\",\"event_id\":\"evt_1\",\"session\":{\"type\":\"realtime\","
                        + "\"instructions\":\"Interview Ada.\"}}");
                JsonNode onChannel = browser.awaitType("session.updated", WAIT);
                JsonNode onSideband = sideband.awaitType("session.updated", WAIT);
                assertEquals("Interview Ada.", onChannel.path("session").path("instructions").asText());
                assertEquals("Interview Ada.", onSideband.path("session").path("instructions").asText());
            }
        }
    }
}
