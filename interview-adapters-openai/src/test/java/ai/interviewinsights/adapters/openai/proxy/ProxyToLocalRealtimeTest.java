package ai.interviewinsights.adapters.openai.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.openai.OpenAiAdapters;
import ai.interviewinsights.adapters.openai.OpenAiConfig;
import ai.interviewinsights.adapters.openai.local.LocalRealtime;
import ai.interviewinsights.adapters.openai.webrtc.BrowserPeer;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bridge against the local realtime endpoint's WebSocket transport ({@code /v1/realtime?model=...}): the local
 * interviewer greets the candidate in its offline voice, and the greeting reaches the browser's peer as audio and the
 * runner as transcript events.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProxyToLocalRealtimeTest {

    @Test
    void the_local_interviewers_greeting_crosses_the_bridge_as_audio_and_transcript() throws Exception {
        try (LocalRealtime local = LocalRealtime.start();
             OpenAiAdapters openai = OpenAiAdapters.create(OpenAiConfig.defaults(Secret.of(local.apiKey()))
                     .withBaseUrl(local.baseUrl()), Clock.systemUTC());
             ProxyRealtimeGateway proxy = openai.proxy(ProxyOptions.defaults(refused -> { }));
             BrowserPeer browser = new BrowserPeer(true, true, false)) {
            assertTrue(local.offlineVoice(), "scripts/test installs festival and pocketsphinx: " + local.description());
            RelayedCall call = proxy.relay(SdpOffer.validate(browser.offer()), new RealtimeSessionConfig(
                    "You interview a candidate for the Backend Engineer position. Greet the candidate by their first"
                            + " name, Ada, ask one question at a time, and listen.", "marin", "gpt-realtime",
                    "gpt-4o-transcribe", "en", Duration.ofMinutes(30)));
            browser.answer(call.answer().text());
            assertTrue(browser.connected.await(10, TimeUnit.SECONDS));
            List<RealtimeEvent> runner = new CopyOnWriteArrayList<>();
            proxy.openSideband(call.callId(), runner::add);

            ProxyBridgeTest.eventually(() -> runner.stream().anyMatch(e -> e instanceof
                    RealtimeEvent.OutputTranscriptDone), Duration.ofSeconds(30), "the greeting's transcript");
            ProxyBridgeTest.eventually(() -> browser.voicedMillis(500) >= 500, Duration.ofSeconds(30),
                    "the greeting is heard");
            String greeting = runner.stream().filter(e -> e instanceof RealtimeEvent.OutputTranscriptDone)
                    .map(e -> ((RealtimeEvent.OutputTranscriptDone) e).transcript()).findFirst().orElseThrow();
            assertTrue(greeting.startsWith("Hello"), greeting);
            // The endpoint took the bridge's session.update: the page sees the interview's instructions in effect.
            assertTrue(browser.all.stream().anyMatch(e -> "session.updated".equals(e.path("type").asText())
                    && e.path("session").path("instructions").asText().contains("Backend Engineer")), browser.types()
                    .toString());
            browser.awaitType("response.output_audio_transcript.done", Duration.ofSeconds(10));
            proxy.hangUp(call.callId());
            assertEquals(0, proxy.liveCalls());
        }
    }
}
