package ai.interviewinsights.adapters.openai.proxy;

import ai.interviewinsights.adapters.openai.webrtc.BrowserPeer;
import static ai.interviewinsights.adapters.openai.proxy.ProxyBridgeTest.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.openai.OpenAiAdapters;
import ai.interviewinsights.adapters.openai.OpenAiConfig;
import ai.interviewinsights.adapters.openai.local.LocalRealtime;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.model.transcript.TranscriptAssembler;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reconnect (ADR 0023) against the local realtime endpoint's WebSocket transport, over real sockets: the endpoint
 * cuts the bridge's socket at the TCP level in the middle of the interviewer's greeting
 * ({@link LocalRealtime#dropWebSockets()}), the bridge reconnects and the interviewer carries on in its offline voice;
 * then the endpoint goes away for good and the call ends cleanly with the transcript kept.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProxyReconnectToLocalRealtimeTest {

    @Test
    void a_dropped_socket_mid_greeting_is_reconnected_and_the_end_of_the_endpoint_ends_the_call() throws Exception {
        List<UpstreamIncident> incidents = new CopyOnWriteArrayList<>();
        List<RealtimeEvent> runner = new CopyOnWriteArrayList<>();
        try (LocalRealtime local = LocalRealtime.start();
             OpenAiAdapters openai = OpenAiAdapters.create(OpenAiConfig.defaults(Secret.of(local.apiKey()))
                     .withBaseUrl(local.baseUrl()), Clock.systemUTC());
             ProxyRealtimeGateway proxy = openai.proxy(ProxyOptions.defaults(refused -> { })
                     .withReconnect(new ProxyOptions.Reconnect(3, Duration.ofMillis(200), Duration.ofSeconds(8)))
                     .withIncidents(incidents::add));
             BrowserPeer browser = new BrowserPeer(true, true, false)) {
            assertTrue(local.offlineVoice(), "scripts/test installs festival and pocketsphinx: " + local.description());
            RelayedCall call = proxy.relay(SdpOffer.validate(browser.offer()), new RealtimeSessionConfig(
                    "You interview a candidate for the Backend Engineer position. Greet the candidate by their first"
                            + " name, Ada, ask one question at a time, and listen.", "marin", "gpt-realtime",
                    "gpt-4o-transcribe", "en", Duration.ofMinutes(30)));
            browser.answer(call.answer().text());
            assertTrue(browser.connected.await(10, TimeUnit.SECONDS));
            proxy.openSideband(call.callId(), runner::add);

            // The greeting is playing: cut the socket under it.
            eventually(() -> browser.voicedMillis(500) >= 300, Duration.ofSeconds(30), "the greeting is heard");
            assertEquals(1, local.dropWebSockets(), "the bridge's one socket is cut");
            JsonNode reconnecting = browser.await(e -> "proxy.upstream_status".equals(e.path("type").asText()),
                    Duration.ofSeconds(10));
            assertEquals("reconnecting", reconnecting.path("status").asText());
            JsonNode reconnected = browser.await(e -> "proxy.upstream_status".equals(e.path("type").asText()),
                    Duration.ofSeconds(10));
            assertEquals("reconnected", reconnected.path("status").asText());
            // The endpoint registers the connection in its own onConnect, which may run just after the client opened.
            eventually(() -> local.openWebSockets() == 1, "one new socket at the endpoint");
            long heardAtReconnect = browser.voicedMillis(500);

            // The interviewer carries on: its voice reaches the browser again, a new turn reaches the runner.
            eventually(() -> browser.voicedMillis(500) >= heardAtReconnect + 1000, Duration.ofSeconds(30),
                    "the interviewer is heard again after the reconnect");
            eventually(() -> doneTurns(runner).size() >= 2, Duration.ofSeconds(30), "a new turn after the reconnect");
            assertNotEquals(doneTurns(runner).get(0), doneTurns(runner).get(1));
            assertEquals(List.of(new UpstreamIncident(UpstreamIncident.RECONNECTED, call.callId().value(), 1,
                    "socket_failed")), incidents);

            // The endpoint goes away for good: the bounded attempts fail and the call ends cleanly.
            local.close();
            JsonNode lost = browser.await(e -> "error".equals(e.path("type").asText()), Duration.ofSeconds(20));
            assertEquals("proxy.upstream_lost", lost.path("error").path("code").asText());
            eventually(() -> runner.stream().anyMatch(e -> e instanceof RealtimeEvent.CallEnded),
                    Duration.ofSeconds(20), "the runner hears the end");
            eventually(() -> proxy.liveCalls() == 0, "the call is over");
            assertEquals(2, incidents.size());
            assertEquals(UpstreamIncident.LOST, incidents.get(1).code());
            assertEquals(3, incidents.get(1).attempts());

            // Every turn exactly once, in conversation order, the one before the drop first.
            TranscriptAssembler assembler = new TranscriptAssembler(
                    SessionId.of("00000000-0000-4000-8000-000000000023"));
            List<TranscriptEntry> entries = new ArrayList<>();
            runner.forEach(e -> entries.addAll(assembler.accept(e)));
            entries.addAll(assembler.flush());
            List<String> keys = entries.stream().map(e -> e.key().value()).toList();
            assertEquals(keys.size(), keys.stream().distinct().count(), "no duplicates: " + keys);
            assertTrue(keys.stream().noneMatch(k -> k.startsWith(ConversationSoFar.SEED_PREFIX)), keys.toString());
            assertEquals(doneTurns(runner).get(0), keys.get(0), "the greeting before the drop comes first");
            assertTrue(keys.containsAll(doneTurns(runner)), keys.toString());
            assertTrue(entries.get(0).text().startsWith("Hello"), entries.get(0).text());
        }
    }

    /** The interviewer's turns that got their final transcript, in order, by item id. */
    private static List<String> doneTurns(List<RealtimeEvent> events) {
        return events.stream().filter(e -> e instanceof RealtimeEvent.OutputTranscriptDone)
                .map(e -> ((RealtimeEvent.OutputTranscriptDone) e).itemId()).distinct().toList();
    }
}
