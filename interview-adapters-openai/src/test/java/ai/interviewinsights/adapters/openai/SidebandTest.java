package ai.interviewinsights.adapters.openai;

import static ai.interviewinsights.adapters.openai.OpenAiTesting.assertAuthorised;
import static ai.interviewinsights.adapters.openai.OpenAiTesting.error;
import static ai.interviewinsights.adapters.openai.ScriptedSideband.Ending.CLOSE;
import static ai.interviewinsights.adapters.openai.ScriptedSideband.Ending.STAY_OPEN;
import static ai.interviewinsights.adapters.openai.ScriptedSideband.stream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.transcript.EntryStatus;
import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptAssembler;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import ai.interviewinsights.domain.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sideband over a real WebSocket: realistic GA event sequences replayed by MockWebServer, assembled into the
 * transcript by the domain's {@link TranscriptAssembler}.
 */
class SidebandTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    static final RealtimeCallId CALL = new RealtimeCallId("rtc_u1_9c6574da8b8a41a18da9308f4ad974ce");

    @StartStop
    final MockWebServer server = new MockWebServer();

    private final MutableClock clock = new MutableClock(NOW);
    private final GaEvents ga = new GaEvents();
    private final ScriptedSideband.Recorder recorder = new ScriptedSideband.Recorder();
    private OpenAiAdapters openai;

    @BeforeEach
    void create() {
        openai = OpenAiAdapters.create(OpenAiTesting.config(server), clock);
    }

    @AfterEach
    void close() {
        openai.close();
    }

    private RealtimeGateway.Sideband open() {
        return openai.realtime().openSideband(CALL, recorder);
    }

    private void callIsOverOnReconnect() {
        server.enqueue(error(404, "invalid_request_error", "call_not_found", "Call not found"));
    }

    @Test
    void a_realistic_call_is_mapped_in_order_and_assembles_into_a_complete_transcript() throws Exception {
        String lateCompletion = ga.nextId();
        List<String> wire = List.of(
                ga.sessionCreated(),
                ga.itemAdded("item_a1", null, "assistant"),
                ga.responseCreated("resp_1"),
                ga.outputDelta("item_a1", "Hello Ada, "),
                ga.outputDelta("item_a1", "tell me about a system you designed."),
                ga.outputDone("item_a1", "Hello Ada, tell me about a system you designed."),
                ga.responseDone("resp_1"),
                ga.speechStarted("item_u1", 5200),
                ga.speechStopped("item_u1", 9100),
                ga.itemAdded("item_u1", "item_a1", "user"),
                ga.inputDelta("item_u1", "I built a payment "),
                // The interviewer answers before the candidate's transcription has completed.
                ga.itemAdded("item_a2", "item_u1", "assistant"),
                ga.outputDelta("item_a2", "Interesting. "),
                ga.outputDelta("item_a2", "What did you learn"),
                // The candidate interrupts: the interviewer's turn is truncated where the candidate stopped hearing.
                ga.speechStarted("item_u2", 14800),
                ga.truncated("item_a2", 1200),
                ga.outputDone("item_a2", "Interesting. What did you learn from the outage?"),
                ga.error("invalid_request_error", "conversation_already_has_active_response",
                        "Conversation already has an active response in progress"),
                // Out of order: the first answer's transcription completes only now.
                ga.inputCompleted(lateCompletion, "item_u1", "I built a payment ledger that survived a region outage."),
                // The same event again (a replay), and the same words under a new event id.
                ga.inputCompleted(lateCompletion, "item_u1", "I built a payment ledger that survived a region outage."),
                ga.inputCompleted("item_u1", "I built a payment ledger that survived a region outage."),
                ga.itemAdded("item_u2", "item_a2", "user"),
                ga.rateLimitsUpdated(),
                "{\"type\":\"output_audio_buffer.started\",\"event_id\":\"" + ga.nextId() + "\"}",
                ga.inputDelta("item_u2", "Mostly that "),
                ga.inputCompleted("item_u2", "Mostly that idempotency keys matter."),
                ga.functionCallAdded("item_f1", "item_u2"),
                ga.itemAdded("item_a3", "item_u2", "assistant"),
                ga.outputDone("item_a3", "Thank you, that is all for today."),
                ga.itemDone("item_a3"),
                ga.itemAdded("item_u3", "item_a3", "user"),
                ga.inputFailed("item_u3", "Audio could not be transcribed"));
        server.enqueue(stream(wire, CLOSE));
        callIsOverOnReconnect();

        try (RealtimeGateway.Sideband ignored = open()) {
            assertTrue(recorder.awaitEnd(), "the end of the call was reported");
        }

        RealtimeEvent.ServerError serverError = new RealtimeEvent.ServerError("invalid_request_error",
                "conversation_already_has_active_response", "Conversation already has an active response in progress",
                TranscriptSource.SIDEBAND, NOW);
        assertEquals(List.of(
                added("item_a1", null, Speaker.AI),
                new RealtimeEvent.OutputTranscriptDelta("item_a1", "Hello Ada, ", TranscriptSource.SIDEBAND, NOW),
                new RealtimeEvent.OutputTranscriptDelta("item_a1", "tell me about a system you designed.",
                        TranscriptSource.SIDEBAND, NOW),
                new RealtimeEvent.OutputTranscriptDone("item_a1", "Hello Ada, tell me about a system you designed.",
                        TranscriptSource.SIDEBAND, NOW),
                added("item_u1", "item_a1", Speaker.CANDIDATE),
                new RealtimeEvent.InputTranscriptionDelta("item_u1", "I built a payment ", TranscriptSource.SIDEBAND,
                        NOW),
                added("item_a2", "item_u1", Speaker.AI),
                new RealtimeEvent.OutputTranscriptDelta("item_a2", "Interesting. ", TranscriptSource.SIDEBAND, NOW),
                new RealtimeEvent.OutputTranscriptDelta("item_a2", "What did you learn", TranscriptSource.SIDEBAND, NOW),
                new RealtimeEvent.ItemTruncated("item_a2", 1200, TranscriptSource.SIDEBAND, NOW),
                new RealtimeEvent.OutputTranscriptDone("item_a2", "Interesting. What did you learn from the outage?",
                        TranscriptSource.SIDEBAND, NOW),
                serverError,
                completed("item_u1", "I built a payment ledger that survived a region outage."),
                completed("item_u1", "I built a payment ledger that survived a region outage."),
                added("item_u2", "item_a2", Speaker.CANDIDATE),
                new RealtimeEvent.InputTranscriptionDelta("item_u2", "Mostly that ", TranscriptSource.SIDEBAND, NOW),
                completed("item_u2", "Mostly that idempotency keys matter."),
                added("item_a3", "item_u2", Speaker.AI),
                new RealtimeEvent.OutputTranscriptDone("item_a3", "Thank you, that is all for today.",
                        TranscriptSource.SIDEBAND, NOW),
                added("item_u3", "item_a3", Speaker.CANDIDATE),
                new RealtimeEvent.InputTranscriptionFailed("item_u3", "Audio could not be transcribed",
                        TranscriptSource.SIDEBAND, NOW)), recorder.transcriptEvents());
        assertEquals(1, recorder.ends().size(), "the end is reported once");
        assertEquals("the call is over", recorder.ends().get(0).reason());
        assertEquals(1, recorder.threads.stream().distinct().count(), "one delivery thread: " + recorder.threads);
        assertEquals(0, recorder.overlaps.get(), "one event at a time");
        assertEquals(1, recorder.threadObjects.stream().distinct().count(), "one thread, not one name");

        List<TranscriptEntry> transcript = assemble(recorder.events);
        assertEquals(List.of("item_a1", "item_u1", "item_a2", "item_u2", "item_a3", "item_u3"), keys(transcript));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), transcript.stream().map(TranscriptEntry::position).toList());
        assertEquals("I built a payment ledger that survived a region outage.", transcript.get(1).text());
        assertEquals(EntryStatus.TRUNCATED, transcript.get(2).status());
        assertEquals(Duration.ofMillis(1200), transcript.get(2).audioEnd());
        assertEquals(EntryStatus.COMPLETE, transcript.get(3).status());
        assertEquals(EntryStatus.FAILED, transcript.get(5).status());
        assertEquals("Audio could not be transcribed", transcript.get(5).failureReason());
        assertTrue(transcript.stream().allMatch(e -> e.source() == TranscriptSource.SIDEBAND));
    }

    @Test
    void a_socket_that_drops_mid_call_is_reopened_and_the_transcript_stays_complete_and_in_order() throws Exception {
        String lastBeforeDrop = ga.inputDelta("item_u1", "I led ");
        List<String> beforeDrop = List.of(
                ga.sessionCreated(),
                ga.itemAdded("item_a1", null, "assistant"),
                ga.outputDone("item_a1", "Welcome. What was your last project?"),
                ga.itemAdded("item_u1", "item_a1", "user"),
                lastBeforeDrop);
        List<String> afterReconnect = List.of(
                lastBeforeDrop, // replayed after the reconnect: delivered once
                ga.inputDelta("item_u1", "the migration"),
                ga.itemAdded("item_a2", "item_u1", "assistant"),
                ga.outputDone("item_a2", "How did you roll it back?"),
                ga.inputCompleted("item_u1", "I led the migration to event sourcing."),
                ga.itemAdded("item_u2", "item_a2", "user"),
                ga.inputCompleted("item_u2", "With a feature flag per tenant."));
        server.enqueue(stream(beforeDrop, STAY_OPEN));
        server.enqueue(error(503, "server_error", null, "overloaded")); // the first reconnect is refused for now
        server.enqueue(stream(afterReconnect, CLOSE));
        callIsOverOnReconnect();

        try (FlakyNetwork network = new FlakyNetwork(server.getSocketAddress());
             OpenAiAdapters viaNetwork = OpenAiAdapters.create(
                     OpenAiTesting.config(server).withBaseUrl(network.uri()), clock);
             RealtimeGateway.Sideband ignored = viaNetwork.realtime().openSideband(CALL, recorder)) {
            recorder.awaitCount(4);
            network.cut(); // the connection drops mid-call: no close frame
            assertTrue(recorder.awaitEnd(), "the end of the call was reported");
        }

        assertEquals(4, server.getRequestCount(), "drop, refused reconnect, reconnect, call over");
        for (int i = 0; i < 4; i++) {
            RecordedRequest handshake = server.takeRequest(1, TimeUnit.SECONDS);
            assertEquals("/v1/realtime?call_id=" + CALL.value(), handshake.getTarget());
            assertAuthorised(handshake);
        }
        assertEquals(1, recorder.threads.stream().distinct().count(), "one delivery thread across reconnects");
        assertEquals(0, recorder.overlaps.get(), "one event at a time across reconnects");
        assertEquals(1, recorder.threadObjects.stream().distinct().count(), "one thread across reconnects");
        assertEquals(1, recorder.ends().size());
        assertEquals(2, recorder.transcriptEvents().stream()
                .filter(e -> e instanceof RealtimeEvent.InputTranscriptionDelta).count(), "the replayed delta once");
        List<TranscriptEntry> transcript = assemble(recorder.events);
        assertEquals(List.of("item_a1", "item_u1", "item_a2", "item_u2"), keys(transcript));
        assertEquals(List.of("Welcome. What was your last project?", "I led the migration to event sourcing.",
                "How did you roll it back?", "With a feature flag per tenant."),
                transcript.stream().map(TranscriptEntry::text).toList());
        assertTrue(transcript.stream().allMatch(e -> e.status() == EntryStatus.COMPLETE));
    }

    @Test
    void a_quiet_stretch_longer_than_the_read_timeout_keeps_the_connection() throws Exception {
        // The test configuration's read timeout is 700 ms; a candidate may think for much longer than any timeout.
        server.enqueue(stream(List.of(ga.itemAdded("item_a1", null, "assistant"), ScriptedSideband.PAUSE + "1500",
                ga.outputDone("item_a1", "Take your time.")), CLOSE));
        callIsOverOnReconnect();

        try (RealtimeGateway.Sideband ignored = open()) {
            assertTrue(recorder.awaitEnd());
        }

        assertEquals(2, server.getRequestCount(), "one connection for the whole call, then the check that it is over");
        assertEquals(2, recorder.transcriptEvents().size());
    }

    @Test
    void a_refused_handshake_ends_the_sideband_with_the_reason() throws Exception {
        server.enqueue(error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided"));

        try (RealtimeGateway.Sideband ignored = open()) {
            assertTrue(recorder.awaitEnd());
        }

        assertEquals(List.of(), recorder.transcriptEvents());
        assertEquals("OpenAI refused the sideband connection (401)", recorder.ends().get(0).reason());
        assertEquals(1, server.getRequestCount(), "a refusal is not retried");
    }

    @Test
    void closing_stops_listening_without_reporting_an_end_or_reconnecting() throws Exception {
        ScriptedSideband.ServerSide side = new ScriptedSideband.ServerSide();
        server.enqueue(stream(List.of(ga.itemAdded("item_a1", null, "assistant")), STAY_OPEN, side));

        RealtimeGateway.Sideband sideband = open();
        recorder.awaitCount(1);
        sideband.close();

        assertTrue(side.clientClosed.await(10, TimeUnit.SECONDS), "the client closed the socket");
        assertEquals(1000, side.closeCode);
        Thread.sleep(300); // a reconnect would come after 10 to 40 ms
        assertEquals(1, server.getRequestCount(), "no reconnect after close");
        assertEquals(List.of(added("item_a1", null, Speaker.AI)), recorder.events, "no CallEnded after close");
    }

    @Test
    void a_listener_that_blocks_holds_up_only_its_own_call() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(1);
        RealtimeGateway.SidebandListener stuck = event -> {
            blocking.countDown();
            try {
                // Longer than the second call is waited for: on a thread shared with it, its events would not come.
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        server.enqueue(stream(List.of(ga.itemAdded("item_a1", null, "assistant")), STAY_OPEN));
        server.enqueue(stream(List.of(ga.itemAdded("item_b1", null, "assistant")), CLOSE));
        callIsOverOnReconnect();

        try (RealtimeGateway.Sideband first = openai.realtime().openSideband(CALL, stuck)) {
            assertTrue(blocking.await(10, TimeUnit.SECONDS), "the first call's listener is busy");
            RealtimeCallId other = new RealtimeCallId("rtc_u1_0f0e0d0c0b0a09080706050403020100");
            try (RealtimeGateway.Sideband second = openai.realtime().openSideband(other, recorder)) {
                assertTrue(recorder.awaitEnd(), "the second call's events and end arrived meanwhile");
            } finally {
                release.countDown();
            }
        }
        assertEquals(List.of(added("item_b1", null, Speaker.AI)), recorder.transcriptEvents());
        assertEquals(3, server.getRequestCount(), "the first call's handshake, the second's, the second's reconnect");
        assertEquals("/v1/realtime?call_id=" + CALL.value(), server.takeRequest(1, TimeUnit.SECONDS).getTarget());
        for (int i = 0; i < 2; i++) {
            assertEquals("/v1/realtime?call_id=rtc_u1_0f0e0d0c0b0a09080706050403020100",
                    server.takeRequest(1, TimeUnit.SECONDS).getTarget());
        }
    }

    @Test
    void messages_that_are_not_usable_events_are_ignored_and_the_stream_goes_on() throws Exception {
        server.enqueue(stream(List.of(
                "this is not JSON",
                "[1, 2, 3]",
                "{\"type\": \"conversation.item.input_audio_transcription.completed\", \"transcript\": \"no item id\"}",
                "{\"type\": \"conversation.item.truncated\", \"item_id\": \"item_a1\", \"audio_end_ms\": -5}",
                "{\"no_type\": true}",
                ga.textItemAdded("item_u0", null, "user", "Typed hello"),
                ga.itemAdded("item_s0", "item_u0", "system")), CLOSE));
        callIsOverOnReconnect();

        try (RealtimeGateway.Sideband ignored = open()) {
            assertTrue(recorder.awaitEnd());
        }

        assertEquals(List.of(new RealtimeEvent.ItemAdded("item_u0", null, Speaker.CANDIDATE, "Typed hello",
                TranscriptSource.SIDEBAND, NOW)), recorder.transcriptEvents());
    }

    @Test
    void events_carry_the_time_the_adapter_received_them() throws Exception {
        clock.set(Instant.parse("2026-11-22T10:05:30Z"));
        server.enqueue(stream(List.of(ga.itemAdded("item_a1", null, "assistant")), CLOSE));
        callIsOverOnReconnect();

        try (RealtimeGateway.Sideband ignored = open()) {
            assertTrue(recorder.awaitEnd());
        }

        assertTrue(recorder.events.stream().allMatch(e -> e.receivedAt().equals(Instant.parse("2026-11-22T10:05:30Z"))));
        assertTrue(recorder.events.stream().allMatch(e -> e.source() == TranscriptSource.SIDEBAND));
    }

    private static RealtimeEvent.ItemAdded added(String item, String previous, Speaker speaker) {
        return new RealtimeEvent.ItemAdded(item, previous, speaker, null, TranscriptSource.SIDEBAND, NOW);
    }

    private static RealtimeEvent.InputTranscriptionCompleted completed(String item, String text) {
        return new RealtimeEvent.InputTranscriptionCompleted(item, text, TranscriptSource.SIDEBAND, NOW);
    }

    /** What the runner does with the sideband: feed every event, flush at the end of the call. */
    static List<TranscriptEntry> assemble(List<RealtimeEvent> events) {
        TranscriptAssembler assembler = new TranscriptAssembler(new SessionId(UUID.randomUUID()));
        List<TranscriptEntry> released = new ArrayList<>();
        for (RealtimeEvent event : events) {
            released.addAll(assembler.accept(event));
            if (event instanceof RealtimeEvent.CallEnded) {
                released.addAll(assembler.flush());
            }
        }
        return released;
    }

    private static List<String> keys(List<TranscriptEntry> entries) {
        return entries.stream().map(e -> e.key().value()).toList();
    }
}
