package ai.interviewinsights.adapters.openai.proxy;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.openai.OpenAiAdapters;
import ai.interviewinsights.adapters.openai.OpenAiConfig;
import ai.interviewinsights.adapters.openai.webrtc.BrowserPeer;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpLimits;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.model.transcript.EntryStatus;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.port.in.GetInterviewReportUseCase.InterviewReport;
import ai.interviewinsights.domain.port.in.NegotiateSdpUseCase.NegotiateSdp;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.runner.InProcessControlPlane;
import ai.interviewinsights.domain.runner.InterviewRunner;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A PROXY interview end to end with real media: the domain's own runner ({@link InterviewRunner}, unchanged) holds
 * the proxy gateway where a hybrid runner holds the relay; a webrtc-java peer plays the candidate's browser, and OpenAI's
 * WebSocket transport is a GA-speaking fake. The interviewer is interrupted mid-sentence, OpenAI repeats an event,
 * and the transcript comes out stored once, in order, with the interrupted turn marked TRUNCATED at the audio heard.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProxyInterviewTest {

    @Test
    void a_proxied_interview_stores_its_transcript_once_in_order_with_the_interrupted_turn_truncated()
            throws Exception {
        InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
        platform.registerTenant(ACME);
        Principal admin = Fixtures.admin(ACME);
        Position position = platform.services.positions().create(admin, "Backend Engineer", "Payments platform",
                List.of(new Competency("System design", "Designs for failure", 3)));
        Candidate candidate = platform.services.candidates().create(admin, "Ada Lovelace", "ada@example.com");
        InterviewSession session = platform.services.startInterview().start(new StartInterview(admin,
                candidate.id(), position.id(), null)).session();

        FakeOpenAi fake = new FakeOpenAi(false);
        try (MockWebServer server = new MockWebServer();
             BrowserPeer browser = new BrowserPeer(true, true, false)) {
            server.enqueue(fake.upgrade());
            server.start();
            OpenAiAdapters openai = OpenAiAdapters.create(OpenAiConfig.defaults(Secret.of(ProxyBridgeTest.KEY))
                    .withBaseUrl(server.url("/").uri()), platform.clock);
            ProxyRealtimeGateway proxy = openai.proxy(ProxyOptions.defaults(refused -> { }));
            InterviewRunner runner = new InterviewRunner(session.id(), new InProcessControlPlane(
                    Fixtures.runnerPrincipal(ACME, session.id()), platform.services), proxy, platform.clock,
                    SdpLimits.defaults(), new InterviewRunner.Observer() { });

            RelayedCall call = runner.negotiate(new NegotiateSdp(browser.offer()));
            browser.answer(call.answer().text());
            assertTrue(browser.connected.await(10, TimeUnit.SECONDS));
            assertEquals(SessionStatus.ACTIVE, platform.services.sessions().get(admin, session.id()).status());
            JsonNode update = fake.awaitType("session.update", 5_000);
            assertTrue(update.path("session").path("instructions").asText().contains("Backend Engineer"),
                    "the interview's own instructions");

            // The interviewer starts a long question; the candidate cuts in after about half a second.
            fake.send(ProxyBridgeTest.itemAdded("item_a1", null, "assistant"));
            fake.send(ProxyBridgeTest.transcript("response.output_audio_transcript.delta", "item_a1", "Hello Ada, "));
            fake.say("item_a1", Tones.sine(440, 24_000, 4000, 8000), 100, false);
            ProxyBridgeTest.eventually(() -> browser.voicedMillis(1000) >= 500, "the question is heard");
            fake.send(FakeOpenAi.event("input_audio_buffer.speech_started").put("audio_start_ms", 900)
                    .put("item_id", "item_u1"));
            JsonNode truncate = fake.awaitType("conversation.item.truncate", 5_000);
            long audioEndMs = truncate.path("audio_end_ms").asLong();
            ObjectNode truncated = FakeOpenAi.event("conversation.item.truncated");
            truncated.put("item_id", "item_a1").put("content_index", 0).put("audio_end_ms", audioEndMs);
            fake.send(truncated);
            fake.send(ProxyBridgeTest.transcript("response.output_audio_transcript.done", "item_a1",
                    "Hello Ada, tell me about a system you built and the hardest failure it survived."));

            // The candidate answers; OpenAI delivers the transcription twice (a replay), then the interviewer closes.
            fake.send(ProxyBridgeTest.itemAdded("item_u1", "item_a1", "user"));
            ObjectNode answer = ProxyBridgeTest.transcript("conversation.item.input_audio_transcription.completed",
                    "item_u1", "I built a payment ledger that survives retries.");
            fake.send(answer);
            fake.send(answer);
            fake.send(ProxyBridgeTest.itemAdded("item_a2", "item_u1", "assistant"));
            fake.say("item_a2", Tones.sine(440, 24_000, 300, 8000), 100, true);
            fake.send(ProxyBridgeTest.transcript("response.output_audio_transcript.done", "item_a2",
                    "Thank you, that is all for today."));
            ProxyBridgeTest.eventually(() -> stored(platform, admin, session) >= 3, "three turns are stored");

            runner.end(EndReason.CANDIDATE_ENDED, null, List.of());
            assertTrue(runner.isEnded());
            assertTrue(fake.closed.await(5, TimeUnit.SECONDS), "the runner hung up: OpenAI's socket is closed");
            assertEquals(0, proxy.liveCalls());

            InterviewReport report = platform.services.interviewReport().report(admin, session.id());
            List<TranscriptEntry> transcript = report.transcript();
            assertEquals(List.of(0L, 1L, 2L), transcript.stream().map(TranscriptEntry::position).toList());
            assertEquals(List.of(Speaker.AI, Speaker.CANDIDATE, Speaker.AI),
                    transcript.stream().map(TranscriptEntry::speaker).toList());
            assertEquals(3, transcript.stream().map(TranscriptEntry::key).distinct().count(), "stored once each");
            assertEquals(EntryStatus.TRUNCATED, transcript.get(0).status());
            assertEquals(audioEndMs, transcript.get(0).audioEnd().toMillis());
            assertEquals("I built a payment ledger that survives retries.", transcript.get(1).text());
            assertEquals(EntryStatus.COMPLETE, transcript.get(2).status());
            assertEquals(SessionStatus.COMPLETED, report.session().status());
            proxy.close();
            openai.close();
        }
    }

    private static int stored(InMemoryInterviewPlatform platform, Principal admin, InterviewSession session) {
        return platform.services.interviewReport().report(admin, session.id()).transcript().size();
    }
}
