package ai.interviewinsights.domain.service;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.evaluation.EvaluationResult;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import ai.interviewinsights.domain.port.in.EndInterviewUseCase.EndInterview;
import ai.interviewinsights.domain.port.in.FailInterviewUseCase.FailInterview;
import ai.interviewinsights.domain.port.in.InviteCandidateUseCase;
import ai.interviewinsights.domain.port.in.NegotiateSdpUseCase.NegotiateSdp;
import ai.interviewinsights.domain.port.in.ReconcileRunnersUseCase.ReconcileReport;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.port.in.StartedInterview;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ai.interviewinsights.domain.runner.InterviewRunner;

/** The reaper, the reconciler, and what happens when things break. */
class MaintenanceAndFailureTest {

    private final InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
    private final Principal admin = Fixtures.admin(ACME);
    private Position position;
    private Candidate candidate;

    @BeforeEach
    void setUp() {
        platform.registerTenant(ACME);
        position = platform.services.positions().create(admin, "Engineer", "",
                List.of(new Competency("Design", "", 1)));
        candidate = platform.services.candidates().create(admin, "Ada Lovelace", "");
    }

    private StartedInterview start() {
        return platform.services.startInterview().start(new StartInterview(admin, candidate.id(), position.id(),
                null));
    }

    private SessionStatus status(SessionId id) {
        return platform.services.sessions().get(admin, id).status();
    }

    @Test
    void the_reaper_expires_a_session_nobody_joined_and_destroys_its_runner() {
        StartedInterview started = start();
        platform.clock.advance(Duration.ofMinutes(14));
        assertTrue(platform.services.expireStaleSessions().expireStale().expired().isEmpty());
        platform.clock.advance(Duration.ofMinutes(2));
        assertEquals(List.of(started.session().id()),
                platform.services.expireStaleSessions().expireStale().expired());
        assertEquals(SessionStatus.EXPIRED, status(started.session().id()));
        assertTrue(platform.runners.runnerFor(started.session().id()).isEmpty());
    }

    @Test
    void the_reaper_leaves_a_talking_session_alone_until_it_overruns_its_budget() {
        StartedInterview started = start();
        var runner = platform.runnerFor(ACME, started.session().id(), new InterviewRunner.Observer() { });
        RelayedCall call = runner.negotiate(new NegotiateSdp(Fixtures.resource("sdp/firefox-offer.sdp")));
        platform.clock.advance(Duration.ofMinutes(30));
        assertTrue(platform.services.expireStaleSessions().expireStale().expired().isEmpty());
        platform.clock.advance(Duration.ofMinutes(6));
        assertEquals(List.of(started.session().id()),
                platform.services.expireStaleSessions().expireStale().expired());
        assertTrue(platform.openai.hungUpCalls().contains(call.callId()), "an overrunning call is hung up");
    }

    @Test
    void the_runner_hangs_up_when_the_time_budget_is_spent_and_the_transcript_is_kept() {
        StartedInterview started = start();
        SessionId id = started.session().id();
        var runner = platform.runnerFor(ACME, id, new InterviewRunner.Observer() { });
        RelayedCall call = runner.negotiate(new NegotiateSdp(Fixtures.resource("sdp/safari-offer.sdp")));
        platform.openai.emit(call.callId(), new RealtimeEvent.ItemAdded("item_1", null, Speaker.AI, null,
                TranscriptSource.SIDEBAND, platform.clock.instant()));
        platform.openai.emit(call.callId(), new RealtimeEvent.OutputTranscriptDone("item_1", "Welcome.",
                TranscriptSource.SIDEBAND, platform.clock.instant()));
        platform.clock.advance(Duration.ofMinutes(29));
        assertFalse(runner.enforceTimeBudget());
        platform.clock.advance(Duration.ofMinutes(1));
        assertTrue(runner.enforceTimeBudget());
        assertTrue(platform.openai.hungUpCalls().contains(call.callId()));
        var report = platform.services.interviewReport().report(admin, id);
        assertEquals(SessionStatus.COMPLETED, report.session().status());
        assertEquals(EndReason.TIME_BUDGET_SPENT, report.session().endReason().orElseThrow());
        assertEquals(1, report.transcript().size());
    }

    @Test
    void a_session_ended_by_staff_is_evaluated_by_the_reaper_when_its_runner_never_reports() {
        StartedInterview started = start();
        SessionId id = started.session().id();
        var runner = platform.runnerFor(ACME, id, new InterviewRunner.Observer() { });
        RelayedCall call = runner.negotiate(new NegotiateSdp(Fixtures.resource("sdp/chrome-offer.sdp")));
        platform.openai.emit(call.callId(), new RealtimeEvent.ItemAdded("item_1", null, Speaker.CANDIDATE, "hi",
                TranscriptSource.SIDEBAND, platform.clock.instant()));
        var ended = platform.services.endInterview().end(new EndInterview(admin, id, EndReason.STAFF_ENDED, null));
        assertFalse(ended.transcriptFinal());
        assertTrue(platform.openai.hungUpCalls().contains(call.callId()));
        // The hang-up ended the call; the runner flushed and reported on its own.
        assertEquals(SessionStatus.COMPLETED, status(id));
        assertTrue(runner.isEnded());
    }

    @Test
    void an_ending_session_without_a_report_is_completed_after_the_grace_period() {
        StartedInterview started = start();
        SessionId id = started.session().id();
        var runner = platform.runnerFor(ACME, id, new InterviewRunner.Observer() { });
        RelayedCall call = runner.negotiate(new NegotiateSdp(Fixtures.resource("sdp/chrome-offer.sdp")));
        platform.openai.dropSideband(call.callId()); // the runner dies silently
        // The candidate ends the interview through the control plane; no runner is left to report.
        platform.services.endInterview().end(new EndInterview(Fixtures.candidatePrincipal(ACME, id), id,
                EndReason.CANDIDATE_ENDED, null));
        assertEquals(SessionStatus.ENDING, status(id));
        platform.clock.advance(Duration.ofMinutes(3));
        assertEquals(List.of(id), platform.services.expireStaleSessions().expireStale().completed());
        var report = platform.services.interviewReport().report(admin, id);
        assertEquals(SessionStatus.COMPLETED, report.session().status());
        EvaluationResult evaluation = report.evaluation().orElseThrow();
        assertEquals("the interview has no transcript to evaluate", evaluation.failure().orElseThrow());
    }

    @Test
    void the_reconciler_destroys_runners_of_over_or_unknown_sessions_past_the_grace_period_only() {
        StartedInterview live = start();
        StartedInterview cancelled = start();
        platform.services.cancelInterview().cancel(admin, cancelled.session().id());
        platform.runners.addOrphan("orphan-unknown", ACME, new SessionId(UUID.randomUUID()));
        platform.runners.addOrphan("orphan-untagged", ACME, null);
        ReconcileReport early = platform.services.reconcileRunners().reconcile();
        assertTrue(early.destroyed().isEmpty(), "young runners are left alone: " + early);
        platform.clock.advance(Duration.ofMinutes(6));
        ReconcileReport report = platform.services.reconcileRunners().reconcile();
        assertEquals(List.of("orphan-unknown", "orphan-untagged"),
                report.destroyed().stream().map(RunnerId::value).sorted().toList());
        assertEquals(List.of(live.session().runner().orElseThrow().runnerId()), report.kept());
    }

    @Test
    void a_provisioning_failure_fails_the_session_with_a_reason() {
        platform.runners.failNextProvision(DomainException.unavailable("fly.insufficient_capacity",
                "no capacity in any region"));
        DomainException e = assertThrows(DomainException.class, this::start);
        assertEquals("runner.provisioning_failed", e.code());
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        var session = platform.services.sessions().listRecent(admin, 1).get(0);
        assertEquals(SessionStatus.FAILED, session.status());
        assertTrue(session.failureReason().orElseThrow().contains("fly.insufficient_capacity"));
    }

    @Test
    void a_runner_that_dies_fails_the_session_and_keeps_every_stored_entry() {
        StartedInterview started = start();
        SessionId id = started.session().id();
        var runner = platform.runnerFor(ACME, id, new InterviewRunner.Observer() { });
        RelayedCall call = runner.negotiate(new NegotiateSdp(Fixtures.resource("sdp/chrome-offer.sdp")));
        platform.openai.emit(call.callId(), new RealtimeEvent.ItemAdded("item_1", null, Speaker.AI, "Hello.",
                TranscriptSource.SIDEBAND, platform.clock.instant()));
        platform.services.failInterview().fail(new FailInterview(AccessScope.system("process-watcher"), id,
                "runner process exited with code 137"));
        var report = platform.services.interviewReport().report(admin, id);
        assertEquals(SessionStatus.FAILED, report.session().status());
        assertEquals(1, report.transcript().size());
        assertTrue(platform.openai.hungUpCalls().contains(call.callId()));
        assertTrue(platform.runners.runnerFor(id).isEmpty());
    }

    @Test
    void an_evaluator_that_invents_a_quote_is_asked_again_with_the_reason_then_recorded_as_failed() {
        StartedInterview started = start();
        SessionId id = started.session().id();
        var runner = platform.runnerFor(ACME, id, new InterviewRunner.Observer() { });
        RelayedCall call = runner.negotiate(new NegotiateSdp(Fixtures.resource("sdp/chrome-offer.sdp")));
        platform.openai.emit(call.callId(), new RealtimeEvent.ItemAdded("item_1", null, Speaker.CANDIDATE,
                "I like queues.", TranscriptSource.SIDEBAND, platform.clock.instant()));
        platform.evaluator.inventQuotesFor(2);
        runner.end(EndReason.CANDIDATE_ENDED, null, List.of());
        var evaluation = platform.services.interviewReport().report(admin, id).evaluation().orElseThrow();
        assertFalse(evaluation.isSuccess());
        assertTrue(evaluation.failure().orElseThrow().startsWith("rejected twice"));
        assertEquals(2, platform.evaluator.requests().size());
        assertEquals(null, platform.evaluator.requests().get(0).previousRejection());
        assertTrue(platform.evaluator.requests().get(1).previousRejection().contains("I invented the transistor"),
                "the model is told the words at fault");
        // The record keeps none of them: it is not encrypted under the candidate's key, and a quote is often the
        // candidate's own words cited from the wrong entry.
        assertFalse(evaluation.failure().orElseThrow().contains("transistor"), evaluation.failure().orElseThrow());
        assertTrue(evaluation.failure().orElseThrow().contains("quotes words that do not occur in entry"),
                evaluation.failure().orElseThrow());
    }

    @Test
    void an_evaluator_that_invents_once_is_accepted_on_the_second_try() {
        StartedInterview started = start();
        SessionId id = started.session().id();
        var runner = platform.runnerFor(ACME, id, new InterviewRunner.Observer() { });
        RelayedCall call = runner.negotiate(new NegotiateSdp(Fixtures.resource("sdp/chrome-offer.sdp")));
        platform.openai.emit(call.callId(), new RealtimeEvent.ItemAdded("item_1", null, Speaker.CANDIDATE,
                "I like queues a lot.", TranscriptSource.SIDEBAND, platform.clock.instant()));
        platform.evaluator.inventQuotesFor(1);
        runner.end(EndReason.CANDIDATE_ENDED, null, List.of());
        assertTrue(platform.services.interviewReport().report(admin, id).evaluation().orElseThrow().isSuccess());
    }

    @Test
    void invites_expire_can_be_revoked_and_are_used_up_once_their_interview_is_over() {
        var issued = platform.services.inviteCandidate().invite(new InviteCandidateUseCase.InviteCandidate(admin,
                candidate.id(), position.id(), null, Duration.ofHours(1)));
        String token = issued.token().value().reveal();
        platform.clock.advance(Duration.ofHours(2));
        assertEquals("invite.expired", assertThrows(DomainException.class,
                () -> platform.services.redeemInvite().redeem(token, platform.consent())).code());

        var second = platform.services.inviteCandidate().invite(new InviteCandidateUseCase.InviteCandidate(admin,
                candidate.id(), position.id(), null, null));
        platform.services.revokeInvite().revoke(admin, second.invite().id());
        assertEquals("invite.revoked", assertThrows(DomainException.class,
                () -> platform.services.redeemInvite().redeem(second.token().value().reveal(),
                platform.consent())).code());

        var third = platform.services.inviteCandidate().invite(new InviteCandidateUseCase.InviteCandidate(admin,
                candidate.id(), position.id(), null, null));
        StartedInterview started = platform.services.redeemInvite().redeem(third.token().value().reveal(),
                platform.consent());
        platform.services.cancelInterview().cancel(admin, started.session().id());
        DomainException used = assertThrows(DomainException.class,
                () -> platform.services.redeemInvite().redeem(third.token().value().reveal(), platform.consent()));
        assertEquals("invite.used", used.code());
        assertEquals(ErrorKind.GONE, used.kind());
        assertEquals("invite.invalid_token", assertThrows(DomainException.class,
                () -> platform.services.redeemInvite().redeem("tok_00000000000000000000000000000999",
                platform.consent())).code());
        assertEquals("invite.invalid_token", assertThrows(DomainException.class,
                () -> platform.services.redeemInvite().redeem("../../etc/passwd", platform.consent())).code());
    }

    @Test
    void ending_twice_is_not_an_error_and_ending_before_the_call_connects_cancels() {
        StartedInterview started = start();
        SessionId id = started.session().id();
        var ended = platform.services.endInterview().end(new EndInterview(Fixtures.candidatePrincipal(ACME, id), id,
                EndReason.CANDIDATE_ENDED, null));
        assertEquals(SessionStatus.CANCELLED, ended.session().status());
        var again = platform.services.endInterview().end(new EndInterview(Fixtures.candidatePrincipal(ACME, id), id,
                EndReason.CANDIDATE_ENDED, null));
        assertEquals(SessionStatus.CANCELLED, again.session().status());
    }

    @Test
    void a_cancelled_interview_keeps_no_video() {
        StartedInterview started = start();
        VideoId video = started.recording().orElseThrow().videoId();
        assertTrue(platform.recording.exists(video));
        platform.services.cancelInterview().cancel(admin, started.session().id());
        assertFalse(platform.recording.exists(video));
    }

    @Test
    void recording_is_off_when_no_provider_is_configured() {
        InMemoryInterviewPlatform noVideo = new InMemoryInterviewPlatform(InterviewPolicies.defaults(), false);
        noVideo.registerTenant(ACME);
        Position p = noVideo.services.positions().create(admin, "E", "", List.of(new Competency("D", "", 1)));
        Candidate c = noVideo.services.candidates().create(admin, "Bob", "");
        assertTrue(noVideo.services.startInterview().start(new StartInterview(admin, c.id(), p.id(), null))
                .recording().isEmpty());
    }

    @Test
    void a_recording_webhook_sets_the_playable_url_once() {
        StartedInterview started = start();
        VideoId video = started.recording().orElseThrow().videoId();
        platform.recording.markPlayable(video);
        assertEquals(started.session().id(), platform.services.recordingReady().recordingReady(video).orElseThrow());
        assertEquals(started.session().id(), platform.services.recordingReady().recordingReady(video).orElseThrow());
        var session = platform.services.sessions().get(admin, started.session().id());
        assertTrue(session.recording().orElseThrow().url().orElseThrow().toString().endsWith("source.mp4"));
        long playableEvents = platform.repositories.allAuditEvents().stream()
                .filter(e -> e.action().equals("recording.playable")).count();
        assertEquals(1, playableEvents);
        assertTrue(platform.services.recordingReady().recordingReady(new VideoId("vi-unrelated")).isEmpty());
    }
}
