package ai.interviewinsights.adapters.openai.proxy;

import ai.interviewinsights.adapters.openai.webrtc.BrowserPeer;
import static ai.interviewinsights.adapters.openai.proxy.ProxyBridgeTest.eventually;
import static ai.interviewinsights.adapters.openai.proxy.ProxyBridgeTest.itemAdded;
import static ai.interviewinsights.adapters.openai.proxy.ProxyBridgeTest.transcript;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.openai.OpenAiAdapters;
import ai.interviewinsights.adapters.openai.OpenAiConfig;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.model.transcript.EntryStatus;
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
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * OpenAI's socket dropping under a proxied call (ADR 0023), with real media and real sockets: a webrtc-java peer as the
 * browser, the bridge's own peer, and OpenAI's WebSocket transport played by MockWebServer WebSockets speaking GA
 * events ({@link FakeOpenAi}), one per socket the bridge opens. What reaches the second socket is asserted on the wire.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProxyReconnectTest {

    private static final Duration WAIT = ProxyBridgeTest.WAIT;
    private static final ProxyOptions.Reconnect QUICK = new ProxyOptions.Reconnect(3, Duration.ofMillis(100),
            Duration.ofSeconds(5));

    private final MockWebServer server = new MockWebServer();
    private final List<UpstreamIncident> incidents = new CopyOnWriteArrayList<>();
    private final List<RealtimeEvent> runner = new CopyOnWriteArrayList<>();
    private OpenAiAdapters openai;
    private ProxyRealtimeGateway gateway;
    private BrowserPeer browser;

    @BeforeEach
    void start() throws Exception {
        server.start();
        openai = OpenAiAdapters.create(OpenAiConfig.defaults(Secret.of(ProxyBridgeTest.KEY))
                .withBaseUrl(server.url("/").uri()), Clock.systemUTC());
        gateway = openai.proxy(ProxyOptions.defaults(refused -> { }).withReconnect(QUICK)
                .withIncidents(incidents::add));
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        gateway.close();
        openai.close();
        server.close();
    }

    private RelayedCall connect(FakeOpenAi fake) throws Exception {
        server.enqueue(fake.upgrade());
        browser = new BrowserPeer(true, true, false);
        RelayedCall call = gateway.relay(SdpOffer.validate(browser.offer()), ProxyBridgeTest.SESSION);
        browser.answer(call.answer().text());
        assertTrue(browser.connected.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the browser's peer connects");
        assertTrue(browser.open.await(WAIT.toSeconds(), TimeUnit.SECONDS), "oai-events opens");
        fake.awaitType("session.update", 5_000);
        gateway.openSideband(call.callId(), runner::add);
        return call;
    }

    /** A greeting, the candidate's answer, and a second question cut off by the drop while it plays. */
    private void firstSocketConversation(FakeOpenAi first) throws Exception {
        first.send(itemAdded("item_a1", null, "assistant"));
        first.send(transcript("response.output_audio_transcript.done", "item_a1",
                "Hello Ada. Tell me about your last project."));
        first.send(itemAdded("item_u1", "item_a1", "user"));
        first.send(transcript("conversation.item.input_audio_transcription.completed", "item_u1",
                "I built a payments ledger."));
        first.send(itemAdded("item_a2", "item_u1", "assistant"));
        first.send(transcript("response.output_audio_transcript.delta", "item_a2", "What was the hardest"));
        first.say("item_a2", Tones.sine(1000, 24_000, 4000, 8000), 100, false);
        eventually(() -> browser.voicedMillis(1000) >= 400, "the second question is playing");
    }

    @Test
    void a_drop_mid_reply_reconnects_reseeds_the_conversation_and_the_interview_goes_on() throws Exception {
        FakeOpenAi first = new FakeOpenAi(false);
        connect(first);
        firstSocketConversation(first);
        JsonNode firstUpdate = first.ofType("session.update").get(0);

        FakeOpenAi second = new FakeOpenAi(false);
        server.enqueue(second.upgrade());
        first.drop(); // mid-reply, as a network failure does

        JsonNode reconnecting = browser.await(e -> "proxy.upstream_status".equals(e.path("type").asText()), WAIT);
        assertEquals("reconnecting", reconnecting.path("status").asText());
        assertEquals(3, reconnecting.path("max_attempts").asInt());
        JsonNode reconnected = browser.await(e -> "proxy.upstream_status".equals(e.path("type").asText()), WAIT);
        assertEquals("reconnected", reconnected.path("status").asText());
        assertEquals(1, reconnected.path("attempts").asInt());

        // The wire of the second socket: the same session, the conversation so far in order, then the owed answer.
        assertEquals("Bearer " + ProxyBridgeTest.KEY, second.authorization, "the server key again");
        JsonNode response = second.awaitType("response.create", 5_000);
        assertTrue(response.path("response").isMissingNode(), "a plain response.create: the session's own settings");
        assertEquals(List.of("session.update", "conversation.item.create", "conversation.item.create",
                "conversation.item.create", "response.create"), types(second.clientEvents));
        assertEquals(firstUpdate.path("session"), second.clientEvents.get(0).path("session"),
                "the same instructions, voice, transcription and formats");
        List<JsonNode> seeded = second.ofType("conversation.item.create").stream().map(e -> e.path("item")).toList();
        assertSeed(seeded.get(0), "assistant", "output_text", "Hello Ada. Tell me about your last project.");
        assertSeed(seeded.get(1), "user", "input_text", "I built a payments ledger.");
        assertSeed(seeded.get(2), "assistant", "output_text", "What was the hardest");
        assertEquals(3, seeded.stream().map(i -> i.path("id").asText()).distinct().count());
        assertTrue(seeded.stream().allMatch(i -> i.path("id").asText().length() <= 32), "short client ids");

        // The interview goes on: the new socket's answer reaches the browser's ear and the runner.
        long heardBefore = browser.voicedMillis(1000);
        String lastSeed = seeded.get(2).path("id").asText();
        second.send(itemAdded("item_b1", lastSeed, "assistant"));
        second.send(transcript("response.output_audio_transcript.done", "item_b1",
                "Sorry, I was asking about the hardest part of it."));
        BridgeOutput output = new BridgeOutput();
        gateway.bridges().iterator().next().tap(output);
        short[] reply = Tones.sine(1000, 24_000, 1000, 8000);
        second.say("item_b1", reply, 100, true);
        // Exact on the bridge's side: the whole reply went into the browser's track; the browser's ear only against a
        // generous bound, since its jitter buffer conceals and fades when starved of CPU (BridgeOutput's note).
        eventually(() -> {
            try {
                BridgeOutput.assertPlayedWhole(output.played(), BridgeOutput.itemAt48k(reply, 24 * 100), 48_000);
                return true;
            } catch (AssertionError notYet) {
                return false;
            }
        }, "the reply after the reconnect is played whole into the browser's track");
        eventually(() -> browser.voicedMillis(1000) >= heardBefore + 700, "the reply after the reconnect is heard");
        // And the candidate's microphone reaches the new socket.
        browser.speak(Tones.sine(1000, 48_000, 500, 8000));
        eventually(() -> second.appendedAudio().length >= 24 * 300, "the candidate's audio reaches the new socket");

        // The page never saw the re-created turns as new ones.
        assertFalse(browser.all.stream().anyMatch(e -> e.path("item").path("id").asText().startsWith("seed_")),
                "the echo of the seeded items is not forwarded");

        // The transcript: every turn exactly once, in conversation order; the cut question TRUNCATED.
        eventually(() -> runner.stream().anyMatch(e -> e instanceof RealtimeEvent.OutputTranscriptDone done
                && done.itemId().equals("item_b1")), "the new turn reaches the runner");
        assertEquals(1, runner.stream().filter(e -> e instanceof RealtimeEvent.ItemTruncated).count(),
                "the cut reply is truncated once");
        assertTrue(runner.stream().noneMatch(e -> e instanceof RealtimeEvent.ItemAdded added
                && added.itemId().startsWith("seed_")), "no seeded item reaches the runner");
        RealtimeEvent.ItemAdded b1 = runner.stream().filter(e -> e instanceof RealtimeEvent.ItemAdded added
                && added.itemId().equals("item_b1")).map(RealtimeEvent.ItemAdded.class::cast).findFirst().orElseThrow();
        assertEquals("item_a2", b1.previousItemId(), "the new turn follows the cut one");
        assertTrue(runner.stream().noneMatch(e -> e instanceof RealtimeEvent.CallEnded), "the call goes on");

        List<TranscriptEntry> entries = assemble(false);
        assertEquals(List.of("item_a1", "item_u1", "item_a2", "item_b1"),
                entries.stream().map(e -> e.key().value()).toList(), "each turn once, in order, none held back");
        assertEquals(List.of(0L, 1L, 2L, 3L), entries.stream().map(TranscriptEntry::position).toList());
        TranscriptEntry cut = entries.get(2);
        assertEquals(EntryStatus.TRUNCATED, cut.status());
        assertEquals("What was the hardest", cut.text());
        long heardMs = cut.truncatedAt().orElseThrow().toMillis();
        assertTrue(heardMs > 0 && heardMs < 4000, "truncated at what was heard: " + heardMs);
        assertEquals(EntryStatus.COMPLETE, entries.get(3).status());

        assertEquals(List.of(new UpstreamIncident(UpstreamIncident.RECONNECTED, onlyCallId(), 1, "socket_failed")),
                incidents);
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void the_candidates_audio_during_the_gap_is_dropped_not_queued_for_the_new_socket() throws Exception {
        FakeOpenAi first = new FakeOpenAi(false);
        connect(first);
        first.drop(); // nothing answers yet: MockWebServer holds the reconnect attempt until a response is queued
        JsonNode reconnecting = browser.await(e -> "proxy.upstream_status".equals(e.path("type").asText()), WAIT);
        assertEquals("reconnecting", reconnecting.path("status").asText());

        java.util.concurrent.atomic.AtomicLong droppedVoicedMs = new java.util.concurrent.atomic.AtomicLong();
        gateway.bridges().iterator().next().tap(new MediaBridge.Tap() {
            @Override
            public void dropped(short[] mono, int rate) {
                if (Tones.rms(mono, 0, mono.length) > 1000) {
                    droppedVoicedMs.addAndGet(mono.length * 1000L / rate);
                }
            }
        });
        browser.speak(Tones.sine(1000, 48_000, 600, 8000)); // the candidate talks into the gap
        // Reconnect only once the bridge has had (and dropped) the words: on a loaded machine the browser's audio can
        // reach the bridge hundreds of ms after it was spoken, and what arrives after the reconnect is rightly sent.
        eventually(() -> droppedVoicedMs.get() >= 500, "the words said in the gap reach the bridge");
        long settled;
        do { // and until their tail is through (no more voiced audio dropped for 300 ms)
            settled = droppedVoicedMs.get();
            Thread.sleep(300);
        } while (droppedVoicedMs.get() != settled);
        FakeOpenAi second = new FakeOpenAi(false);
        server.enqueue(second.upgrade());
        JsonNode reconnected = browser.await(e -> "proxy.upstream_status".equals(e.path("type").asText()), WAIT);
        assertEquals("reconnected", reconnected.path("status").asText());
        Thread.sleep(300);
        short[] queued = second.appendedAudio();
        assertTrue(queued.length == 0 || Tones.rms(queued, 0, queued.length) < 100,
                "nothing said during the gap reaches the new socket (" + queued.length + " samples)");

        browser.speak(Tones.sine(1000, 48_000, 400, 8000));
        eventually(() -> {
            short[] heard = second.appendedAudio();
            return heard.length > 0 && Tones.rms(heard, 0, heard.length) > 1000;
        }, "what the candidate says after the reconnect does");
    }

    @Test
    void the_endpoint_gone_for_good_ends_the_call_cleanly_after_the_bounded_attempts_with_the_transcript_kept()
            throws Exception {
        FakeOpenAi first = new FakeOpenAi(false);
        RelayedCall call = connect(first);
        firstSocketConversation(first);
        String callId = onlyCallId();

        server.close(); // the connection is reset mid-reply, and nothing listens any more
        JsonNode reconnecting = browser.await(e -> "proxy.upstream_status".equals(e.path("type").asText()), WAIT);
        assertEquals("reconnecting", reconnecting.path("status").asText());
        JsonNode lost = browser.await(e -> "error".equals(e.path("type").asText()), WAIT);
        assertEquals("proxy.upstream_lost", lost.path("error").path("code").asText());
        eventually(() -> runner.stream().anyMatch(e -> e instanceof RealtimeEvent.CallEnded), "the runner hears the end");
        assertEquals("openai_connection_lost",
                ((RealtimeEvent.CallEnded) runner.get(runner.size() - 1)).reason());
        eventually(() -> gateway.liveCalls() == 0, "the call is over");
        gateway.hangUp(call.callId()); // the runner's hang-up afterwards is harmless

        assertEquals(1, incidents.size());
        UpstreamIncident incident = incidents.get(0);
        assertEquals(UpstreamIncident.LOST, incident.code());
        assertEquals(callId, incident.callId());
        assertEquals(3, incident.attempts(), "every attempt of the policy was made");

        List<TranscriptEntry> entries = assemble(true);
        assertEquals(List.of("item_a1", "item_u1", "item_a2"), entries.stream().map(e -> e.key().value()).toList());
        assertEquals(EntryStatus.TRUNCATED, entries.get(2).status(), "the cut reply is kept, truncated");
    }

    @Test
    void our_own_hang_up_never_reconnects() throws Exception {
        FakeOpenAi first = new FakeOpenAi(false);
        RelayedCall call = connect(first);
        server.enqueue(new FakeOpenAi(false).upgrade()); // would be taken by a (wrong) reconnect
        gateway.hangUp(call.callId());
        assertTrue(first.closed.await(5, TimeUnit.SECONDS), "OpenAI's socket was closed by us");
        Thread.sleep(QUICK.firstBackoff().toMillis() * 8);
        assertEquals(1, server.getRequestCount(), "no second socket");
        assertTrue(incidents.isEmpty());
        assertFalse(browser.types().contains("proxy.upstream_status"));
        assertEquals(0, gateway.liveCalls());
    }

    @Test
    void a_refusal_is_never_retried() throws Exception {
        FakeOpenAi first = new FakeOpenAi(false);
        connect(first);
        String callId = onlyCallId();
        // The new socket is refused (the key was revoked): one attempt, then the end.
        server.enqueue(new MockResponse.Builder().code(401).body("{\"error\":{\"message\":\"Incorrect API key\","
                + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}").build());
        first.drop();
        eventually(() -> runner.stream().anyMatch(e -> e instanceof RealtimeEvent.CallEnded), "the call ends");
        assertEquals(List.of(new UpstreamIncident(UpstreamIncident.LOST, callId, 1, "refused_401")), incidents);
        assertEquals(2, server.getRequestCount(), "the refusal was not retried");
    }

    @Test
    void a_close_that_is_a_refusal_is_not_retried() throws Exception {
        FakeOpenAi first = new FakeOpenAi(false);
        connect(first);
        String callId = onlyCallId();
        first.closeWith(4000, "beta_api_shape_disabled");
        eventually(() -> runner.stream().anyMatch(e -> e instanceof RealtimeEvent.CallEnded), "the call ends");
        assertEquals(List.of(new UpstreamIncident(UpstreamIncident.LOST, callId, 0, "closed_4000")), incidents);
        assertEquals(1, server.getRequestCount());
        assertFalse(browser.types().contains("proxy.upstream_status"), "nothing to wait for");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private String onlyCallId() {
        return gateway.bridges().iterator().next().id().value();
    }

    /** The runner's events through the domain's assembler, as the runner feeds it. */
    private List<TranscriptEntry> assemble(boolean flush) {
        TranscriptAssembler assembler = new TranscriptAssembler(SessionId.of("00000000-0000-4000-8000-000000000023"));
        List<TranscriptEntry> out = new ArrayList<>();
        for (RealtimeEvent event : runner) {
            out.addAll(assembler.accept(event));
        }
        if (flush) {
            out.addAll(assembler.flush());
        }
        assertEquals(out.size(), out.stream().map(TranscriptEntry::key).distinct().count(), "no duplicates");
        return out;
    }

    private static void assertSeed(JsonNode item, String role, String contentType, String text) {
        assertEquals("message", item.path("type").asText());
        assertEquals(role, item.path("role").asText());
        assertTrue(item.path("id").asText().startsWith(ConversationSoFar.SEED_PREFIX), item.toString());
        assertEquals(1, item.path("content").size());
        assertEquals(contentType, item.path("content").get(0).path("type").asText());
        assertEquals(text, item.path("content").get(0).path("text").asText());
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asText()).toList();
    }
}
