package ai.interviewinsights.domain.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.realtime.ClientSecret;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.model.sdp.SdpRejectedException;
import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import ai.interviewinsights.domain.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What any {@link RealtimeGateway} must do. The hooks script what "OpenAI" will answer; a real adapter's test
 * implements them with a protocol-faithful server (MockWebServer speaking the GA wire format).
 */
public abstract class RealtimeGatewayContract {

    protected static final RealtimeSessionConfig CONFIG = new RealtimeSessionConfig(
            "You are a friendly interviewer for Acme Corp.", "marin", "gpt-realtime", "gpt-4o-transcribe", "en",
            Duration.ofMinutes(30));

    protected abstract RealtimeGateway gateway();

    /** The next SDP exchange is answered with this SDP (201) and call id (in {@code Location}). */
    protected abstract void openAiAnswers(String answerSdp, String callId);

    /** The next client-secret request returns this secret. */
    protected abstract void openAiMintsSecret(String value, Instant expiresAt);

    /** The sideband of this call delivers these server events in this order; then the call is over. */
    protected abstract void openAiStreams(String callId, List<RealtimeEvent> events);

    /** Hanging up this call succeeds. */
    protected abstract void openAiAcceptsHangUp(String callId);

    /** The call ids "OpenAI" was asked to hang up so far, in order (each request counted). */
    protected abstract List<String> callsOpenAiHungUp();

    protected SdpOffer chromeOffer() {
        return SdpOffer.validate(Fixtures.resource("sdp/chrome-offer.sdp"));
    }

    @Test
    void relaying_an_offer_returns_openai_answer_byte_for_byte_and_the_call_id() {
        String answer = Fixtures.resource("sdp/openai-answer.sdp");
        openAiAnswers(answer, "rtc_u1_9c6574da8b8a41a18da9308f4ad974ce");
        RelayedCall call = gateway().relay(chromeOffer(), CONFIG);
        assertEquals(answer, call.answer().text());
        assertEquals(new RealtimeCallId("rtc_u1_9c6574da8b8a41a18da9308f4ad974ce"), call.callId());
    }

    @Test
    void an_answer_that_does_not_match_the_offer_is_rejected() {
        String audioOnly = Fixtures.resource("sdp/openai-answer.sdp");
        audioOnly = audioOnly.substring(0, audioOnly.indexOf("m=application")).replace("a=group:BUNDLE 0 1",
                "a=group:BUNDLE 0");
        openAiAnswers(audioOnly, "rtc_mismatch");
        SdpRejectedException e = assertThrows(SdpRejectedException.class,
                () -> gateway().relay(chromeOffer(), CONFIG));
        assertEquals("sdp.m_line_count", e.code());
    }

    @Test
    void a_client_secret_is_returned_with_its_expiry() {
        Instant expires = Instant.now().plusSeconds(120).truncatedTo(ChronoUnit.SECONDS);
        openAiMintsSecret("ek_68af296e8e408191a1120ab6383263c2", expires);
        ClientSecret secret = gateway().mintClientSecret(CONFIG, Duration.ofMinutes(2));
        assertEquals("ek_68af296e8e408191a1120ab6383263c2", secret.value().reveal());
        assertEquals(expires, secret.expiresAt());
    }

    @Test
    void the_sideband_delivers_the_call_events_in_order_then_the_end_of_the_call() throws Exception {
        Instant t = Instant.parse("2026-11-22T10:00:00Z");
        List<RealtimeEvent> events = List.of(
                new RealtimeEvent.ItemAdded("item_a1", null, Speaker.AI, null, TranscriptSource.SIDEBAND, t),
                new RealtimeEvent.OutputTranscriptDelta("item_a1", "Hello, ", TranscriptSource.SIDEBAND, t),
                new RealtimeEvent.OutputTranscriptDelta("item_a1", "Ada.", TranscriptSource.SIDEBAND, t),
                new RealtimeEvent.OutputTranscriptDone("item_a1", "Hello, Ada.", TranscriptSource.SIDEBAND, t),
                new RealtimeEvent.ItemAdded("item_u1", "item_a1", Speaker.CANDIDATE, null, TranscriptSource.SIDEBAND,
                        t),
                new RealtimeEvent.InputTranscriptionDelta("item_u1", "Hi", TranscriptSource.SIDEBAND, t),
                new RealtimeEvent.InputTranscriptionCompleted("item_u1", "Hi there.", TranscriptSource.SIDEBAND, t),
                new RealtimeEvent.ItemTruncated("item_a1", 1500, TranscriptSource.SIDEBAND, t),
                new RealtimeEvent.InputTranscriptionFailed("item_u2", "audio unintelligible",
                        TranscriptSource.SIDEBAND, t));
        openAiStreams("rtc_stream", events);
        List<RealtimeEvent> received = new CopyOnWriteArrayList<>();
        CountDownLatch ended = new CountDownLatch(1);
        try (RealtimeGateway.Sideband ignored = gateway().openSideband(new RealtimeCallId("rtc_stream"), event -> {
            received.add(event);
            if (event instanceof RealtimeEvent.CallEnded) {
                ended.countDown();
            }
        })) {
            assertTrue(ended.await(20, TimeUnit.SECONDS), "the end of the call was not reported");
        }
        List<RealtimeEvent> transcriptEvents = new ArrayList<>(received);
        transcriptEvents.removeIf(e -> e instanceof RealtimeEvent.CallEnded);
        assertEquals(describe(events), describe(transcriptEvents));
        assertInstanceOf(RealtimeEvent.CallEnded.class, received.get(received.size() - 1));
        assertTrue(received.stream().allMatch(e -> e.source() == TranscriptSource.SIDEBAND));
    }

    @Test
    void hanging_up_a_call_succeeds() {
        openAiAcceptsHangUp("rtc_to_end");

        gateway().hangUp(new RealtimeCallId("rtc_to_end"));

        assertEquals(List.of("rtc_to_end"), callsOpenAiHungUp(), "exactly that call was hung up, once");
    }

    /** Events compared without their receive times, which every connection stamps itself. */
    protected static List<String> describe(List<RealtimeEvent> events) {
        return events.stream().map(e -> e.toString().replaceAll(", receivedAt=[^,\\]]*", "")).toList();
    }
}
