package ai.interviewinsights.domain.service;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.evaluation.EvaluationResult;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.interview.SettingsRequest;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.model.transcript.ClientEntry;
import ai.interviewinsights.domain.model.transcript.EntryStatus;
import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import ai.interviewinsights.domain.port.in.GetInterviewReportUseCase.InterviewReport;
import ai.interviewinsights.domain.port.in.InviteCandidateUseCase;
import ai.interviewinsights.domain.port.in.NegotiateSdpUseCase.NegotiateSdp;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.port.in.StartedInterview;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import ai.interviewinsights.domain.runner.InterviewRunner;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two ways an interview happens, told as stories over the in-memory platform. The original MVP lost transcripts
 * in the candidate-invite flow; here both flows play the same conversation, with the sideband and the browser each
 * seeing it out of order and repeating themselves, and both must store the same transcript, exactly once, in order.
 */
class InterviewScenarioTest {

    private static final List<String> CONVERSATION = List.of(
            "AI: Hello Ada, thanks for joining. Tell me about a system you built.",
            "CANDIDATE: I built a payment ledger that had to survive retries.",
            "AI: How did you make retries safe?",
            "CANDIDATE: Every write carries an idempotency key, so a retry is stored once.",
            "AI: Thank you, that is all for today.");

    private InMemoryInterviewPlatform platform;
    private Principal admin;
    private Position position;
    private Candidate candidate;

    @BeforeEach
    void a_company_with_a_position_and_a_candidate() {
        platform = new InMemoryInterviewPlatform();
        platform.registerTenant(ACME);
        admin = Fixtures.admin(ACME);
        position = platform.services.positions().create(admin, "Backend Engineer", "Payments platform",
                List.of(new Competency("System design", "Designs for failure", 3),
                        new Competency("Communication", "Explains clearly", 2)));
        candidate = platform.services.candidates().create(admin, "Ada Lovelace", "ada@example.com");
    }

    @Test
    void the_admin_flow_from_position_to_evaluation_and_runner_destruction() {
        // An admin starts the interview; a runner is provisioned and a recording prepared.
        StartedInterview started = platform.services.startInterview().start(new StartInterview(admin,
                candidate.id(), position.id(), new SettingsRequest("alloy", "en-US", 0.7, null, null, null)));
        InterviewReport report = playTheInterview(started);

        assertEquals(CONVERSATION, lines(report.transcript()));
        assertStoredOnceInOrder(report.transcript());
        assertFinished(report, started);
    }

    @Test
    void the_candidate_invite_flow_from_invite_to_evaluation_and_runner_destruction() {
        // An interviewer invites the candidate; the candidate opens the link without signing in.
        InviteCandidateUseCase.IssuedInvite invite = platform.services.inviteCandidate().invite(
                new InviteCandidateUseCase.InviteCandidate(Fixtures.interviewer(ACME), candidate.id(), position.id(),
                        null, Duration.ofDays(3)));
        StartedInterview started = platform.services.redeemInvite().redeem(invite.token().value().reveal(),
                platform.consent());
        // The candidate reloads the page before connecting: the same session comes back, not a new one.
        StartedInterview rejoined = platform.services.redeemInvite().redeem(invite.token().value().reveal(),
                platform.consent());
        assertEquals(started.session().id(), rejoined.session().id());
        assertEquals(1, platform.runners.liveCount());

        InterviewReport report = playTheInterview(rejoined);

        assertEquals(CONVERSATION, lines(report.transcript()));
        assertStoredOnceInOrder(report.transcript());
        assertFinished(report, started);
    }

    @Test
    void both_flows_store_the_same_transcript() {
        StartedInterview byAdmin = platform.services.startInterview().start(new StartInterview(admin,
                candidate.id(), position.id(), null));
        List<TranscriptEntry> adminTranscript = playTheInterview(byAdmin).transcript();
        InviteCandidateUseCase.IssuedInvite invite = platform.services.inviteCandidate().invite(
                new InviteCandidateUseCase.InviteCandidate(admin, candidate.id(), position.id(), null, null));
        StartedInterview byInvite = platform.services.redeemInvite().redeem(invite.token().value().reveal(),
                platform.consent());
        List<TranscriptEntry> inviteTranscript = playTheInterview(byInvite).transcript();
        assertEquals(comparable(adminTranscript), comparable(inviteTranscript));
    }

    /**
     * The browser offers, the runner relays, and the conversation plays: the sideband sees it out of order and
     * repeats itself, the browser forwards a batch twice and a turn the sideband missed, and then ends the interview.
     */
    private InterviewReport playTheInterview(StartedInterview started) {
        InterviewSession session = started.session();
        assertEquals(SessionStatus.READY, session.status());
        assertTrue(started.websocketUrl().contains("token=") && started.websocketUrl().contains("session="
                + session.id()));
        var runner = platform.runnerFor(session.tenant(), session.id(), new InterviewRunner.Observer() { });

        RelayedCall call = runner.negotiate(new NegotiateSdp(Fixtures.resource("sdp/chrome-offer.sdp")));
        assertEquals(SessionStatus.ACTIVE, platform.services.sessions().get(admin, session.id()).status());

        String prefix = session.id().shortId() + "_";
        String a1 = prefix + "a1";
        String u1 = prefix + "u1";
        String a2 = prefix + "a2";
        String u2 = prefix + "u2";
        String a3 = prefix + "a3";
        Instant t = platform.clock.instant();
        TranscriptSource sb = TranscriptSource.SIDEBAND;
        List<RealtimeEvent> sideband = List.of(
                new RealtimeEvent.ItemAdded(a1, null, Speaker.AI, null, sb, t),
                new RealtimeEvent.OutputTranscriptDelta(a1, "Hello Ada, ", sb, t),
                new RealtimeEvent.OutputTranscriptDone(a1, text(0), sb, t),
                new RealtimeEvent.ItemAdded(u1, a1, Speaker.CANDIDATE, null, sb, t),
                new RealtimeEvent.ItemAdded(a2, u1, Speaker.AI, null, sb, t),
                new RealtimeEvent.OutputTranscriptDone(a2, text(2), sb, t),      // reply before u1 is transcribed
                new RealtimeEvent.InputTranscriptionCompleted(u1, text(1), sb, t),
                new RealtimeEvent.InputTranscriptionCompleted(u1, text(1), sb, t), // duplicate
                new RealtimeEvent.ItemAdded(u2, a2, Speaker.CANDIDATE, null, sb, t),
                new RealtimeEvent.InputTranscriptionDelta(u2, "Every write carries", sb, t),
                new RealtimeEvent.ItemAdded(a3, u2, Speaker.AI, null, sb, t),
                new RealtimeEvent.OutputTranscriptDone(a3, text(4), sb, t));
        sideband.forEach(event -> platform.openai.emit(call.callId(), event));

        // The browser forwards what it saw; its first batch arrives twice, and it has u2's completion, which the
        // sideband never delivered.
        List<ClientEntry> batch = List.of(
                new ClientEntry(null, a1, null, Speaker.AI, text(0), t, false),
                new ClientEntry(null, u1, a1, Speaker.CANDIDATE, text(1), t, false));
        runner.acceptClientEntries(batch);
        InterviewRunner.ClientBatchOutcome again = runner.acceptClientEntries(batch);
        assertEquals(2, again.duplicates().size(), "a resent batch is acknowledged as already stored");
        runner.acceptClientEntries(List.of(new ClientEntry(null, u2, a2, Speaker.CANDIDATE, text(3), t, false)));

        platform.clock.advance(Duration.ofMinutes(12));
        // The browser says which video it uploaded to (the one its upload token was for) and where it plays.
        var issuedVideo = platform.services.sessions().get(admin, session.id()).recording()
                .flatMap(ai.interviewinsights.domain.model.recording.RecordingRef::video).orElseThrow();
        runner.end(EndReason.CANDIDATE_ENDED, new ai.interviewinsights.domain.model.recording.RecordingReport(
                issuedVideo, URI.create("https://vod.api.video/vod/vi1/mp4/source.mp4")), List.of());
        assertTrue(runner.isEnded());
        assertTrue(platform.openai.hungUpCalls().contains(call.callId()));
        assertFalse(platform.openai.isSidebandOpen(call.callId()));
        return platform.services.interviewReport().report(admin, session.id());
    }

    private static String text(int turn) {
        return CONVERSATION.get(turn).substring(CONVERSATION.get(turn).indexOf(": ") + 2);
    }

    private static List<String> lines(List<TranscriptEntry> transcript) {
        return transcript.stream().map(e -> e.speaker() + ": " + e.text()).toList();
    }

    private static List<String> comparable(List<TranscriptEntry> transcript) {
        return transcript.stream().map(e -> e.position() + " " + e.speaker() + " " + e.status() + " " + e.text())
                .toList();
    }

    private static void assertStoredOnceInOrder(List<TranscriptEntry> transcript) {
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), transcript.stream().map(TranscriptEntry::position).toList());
        assertEquals(transcript.size(), transcript.stream().map(TranscriptEntry::key).distinct().count());
        assertTrue(transcript.stream().allMatch(e -> e.status() == EntryStatus.COMPLETE));
    }

    private void assertFinished(InterviewReport report, StartedInterview started) {
        assertEquals(SessionStatus.COMPLETED, report.session().status());
        EvaluationResult evaluation = report.evaluation().orElseThrow();
        assertTrue(evaluation.isSuccess(), () -> evaluation.failure().orElse(""));
        assertEquals(2, evaluation.value().orElseThrow().scores().size());
        assertEquals(report.session().evaluation().orElseThrow(), evaluation.ref());
        assertEquals("https://vod.api.video/vod/vi1/mp4/source.mp4",
                report.session().recording().orElseThrow().url().orElseThrow().toString());
        assertTrue(started.recording().isPresent(), "recording is configured in this platform");
        assertTrue(report.session().recording().orElseThrow().reported().isPresent(),
                "the browser's report of its video reached the session through the runner");
        assertTrue(platform.runners.runnerFor(report.session().id()).isEmpty(), "the runner is destroyed");
        assertTrue(platform.runners.destroyedIds().contains(started.session().runner().orElseThrow().runnerId()));
    }
}
