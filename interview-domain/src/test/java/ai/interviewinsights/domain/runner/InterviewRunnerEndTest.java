package ai.interviewinsights.domain.runner;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.recording.RecordingReport;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.ClientEntry;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.model.sdp.SdpLimits;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.port.in.NegotiateSdpUseCase.NegotiateSdp;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.ForwardingControlPlane;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What a runner says about its end while it reports it: its process may be stopped the moment the control plane has
 * the end, and whoever stops it asks {@link InterviewRunner#isEnding()} whether a goodbye is still to come.
 */
class InterviewRunnerEndTest {

    private final InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();

    @Test
    void an_end_is_under_way_while_it_is_reported_and_ended_once_the_report_returns() throws Exception {
        InterviewSession session = platform.startedSession();
        CountDownLatch reported = new CountDownLatch(1);
        CountDownLatch reply = new CountDownLatch(1);
        ForwardingControlPlane slowReply = new ForwardingControlPlane(new InProcessControlPlane(
                Fixtures.runnerPrincipal(ACME, session.id()), platform.services)) {
            @Override
            public void ended(EndReason reason, RecordingReport recording) {
                real.ended(reason, recording);
                reported.countDown();
                try {
                    reply.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        InterviewRunner runner = new InterviewRunner(session.id(), slowReply, platform.openai, platform.clock,
                SdpLimits.defaults(), new InterviewRunner.Observer() { }, InterviewRunner.DrainPolicy.NONE);
        runner.negotiate(new NegotiateSdp(Fixtures.resource("sdp/chrome-offer.sdp")));
        assertFalse(runner.isEnding());

        CompletableFuture<Void> ending = CompletableFuture.runAsync(
                () -> runner.end(EndReason.CANDIDATE_ENDED, null, List.of()));
        assertTrue(reported.await(10, TimeUnit.SECONDS));
        assertTrue(runner.isEnding(), "the control plane has the end; the runner is still reporting it");
        assertFalse(runner.isEnded());

        reply.countDown();
        ending.get(10, TimeUnit.SECONDS);
        assertTrue(runner.isEnded());
        assertFalse(runner.isEnding());
        runner.end(EndReason.CANDIDATE_ENDED, null, List.of()); // a second end is a no-op
        assertFalse(runner.isEnding());
    }

    @Test
    void an_end_whose_report_failed_is_neither_under_way_nor_done() {
        InterviewSession session = platform.startedSession();
        AtomicBoolean down = new AtomicBoolean(true);
        ForwardingControlPlane unreachable = new ForwardingControlPlane(new InProcessControlPlane(
                Fixtures.runnerPrincipal(ACME, session.id()), platform.services)) {
            @Override
            public void ended(EndReason reason, RecordingReport recording) {
                if (down.get()) {
                    throw new DomainException(ErrorKind.UNAVAILABLE, "control_plane.unreachable",
                            "the control plane could not be reached", true, null);
                }
                real.ended(reason, recording);
            }
        };
        InterviewRunner runner = new InterviewRunner(session.id(), unreachable, platform.openai, platform.clock,
                SdpLimits.defaults(), new InterviewRunner.Observer() { }, InterviewRunner.DrainPolicy.NONE);
        runner.negotiate(new NegotiateSdp(Fixtures.resource("sdp/chrome-offer.sdp")));

        DomainException failed = assertThrows(DomainException.class,
                () -> runner.end(EndReason.CANDIDATE_ENDED, null, List.of()));
        assertEquals("control_plane.unreachable", failed.code());
        assertFalse(runner.isEnding(), "nothing is reporting: a stop must not wait for a goodbye");
        assertFalse(runner.isEnded());

        down.set(false);
        runner.end(EndReason.CANDIDATE_ENDED, null, List.of()); // the retry reports it
        assertTrue(runner.isEnded());
        assertFalse(runner.isEnding());
    }

    /** An end refused for good (the session erased meanwhile) is not asked again every second: it would be refused. */
    @Test
    void an_end_refused_for_good_is_not_retried_by_the_ticks() {
        InterviewSession session = platform.startedSession();
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        ForwardingControlPlane erased = new ForwardingControlPlane(new InProcessControlPlane(
                Fixtures.runnerPrincipal(ACME, session.id()), platform.services)) {
            @Override
            public void ended(EndReason reason, RecordingReport recording) {
                asked.incrementAndGet();
                throw DomainException.notFound("session.not_found", "no session " + session.id());
            }
        };
        InterviewRunner runner = new InterviewRunner(session.id(), erased, platform.openai, platform.clock,
                SdpLimits.defaults(), new InterviewRunner.Observer() { }, InterviewRunner.DrainPolicy.NONE);
        runner.negotiate(new NegotiateSdp(Fixtures.resource("sdp/chrome-offer.sdp")));
        assertThrows(DomainException.class, () -> runner.end(EndReason.CANDIDATE_ENDED, null, List.of()));
        assertFalse(runner.hasUnreportedEnd());
        platform.clock.advance(java.time.Duration.ofSeconds(1));
        assertFalse(runner.enforceTimeBudget());
        assertEquals(1, asked.get(), "asked once");
    }

    /**
     * The candidate ends while the control plane is down: the call is closed and the browser has its last words in,
     * but neither the transcript nor the end reached the control plane. Nothing else would ever report them (the
     * budget's tick stopped counting once the end began, and the runner exits two minutes after its deadline), so
     * the ticks retry the end: once the control plane is back, the last words are stored and the end is reported
     * with the candidate's reason and recording, once.
     */
    @Test
    void an_end_whose_report_failed_is_retried_by_the_ticks_with_its_transcript_once_the_control_plane_is_back() {
        InterviewSession session = platform.startedSession();
        AtomicBoolean down = new AtomicBoolean(false);
        java.util.List<EndReason> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<RecordingReport> recordings = new java.util.concurrent.CopyOnWriteArrayList<>();
        ForwardingControlPlane flaky = new ForwardingControlPlane(new InProcessControlPlane(
                Fixtures.runnerPrincipal(ACME, session.id()), platform.services)) {
            @Override
            public AppendResult recordTranscript(List<TranscriptEntry> entries) {
                requireUp();
                return real.recordTranscript(entries);
            }

            @Override
            public void ended(EndReason reason, RecordingReport recording) {
                requireUp();
                real.ended(reason, recording);
                reported.add(reason);
                recordings.add(recording);
            }

            private void requireUp() {
                if (down.get()) {
                    throw new DomainException(ErrorKind.UNAVAILABLE, "control_plane.unreachable",
                            "the control plane could not be reached", true, null);
                }
            }
        };
        InterviewRunner runner = new InterviewRunner(session.id(), flaky, platform.openai, platform.clock,
                SdpLimits.defaults(), new InterviewRunner.Observer() { }, InterviewRunner.DrainPolicy.NONE);
        runner.negotiate(new NegotiateSdp(Fixtures.resource("sdp/chrome-offer.sdp")));
        RecordingReport video = new RecordingReport(new VideoId("vid_last_words"), null);

        down.set(true);
        ClientEntry lastWords = new ClientEntry(IdempotencyKey.of("last-words"), null, null, Speaker.CANDIDATE,
                "Thank you, that is all from me.", platform.clock.instant(), false);
        assertThrows(DomainException.class, () -> runner.end(EndReason.CANDIDATE_ENDED, video, List.of(lastWords)));
        assertTrue(runner.hasUnreportedEnd(), "the runner's server runs the next tick where it may wait");
        platform.clock.advance(java.time.Duration.ofSeconds(1));
        assertThrows(DomainException.class, runner::enforceTimeBudget, "a tick while it is down tries again");
        assertFalse(runner.isEnded());
        assertEquals(1, runner.unacknowledgedEntries(), "the last words wait in the outbox");

        down.set(false);
        platform.clock.advance(java.time.Duration.ofSeconds(1));
        assertTrue(runner.enforceTimeBudget(), "the next tick reports the end");
        assertTrue(runner.isEnded());
        assertFalse(runner.hasUnreportedEnd());
        assertEquals(0, runner.unacknowledgedEntries());
        assertEquals(List.of(EndReason.CANDIDATE_ENDED), reported, "the candidate's end, reported once");
        assertEquals(List.of(video), recordings, "with the browser's recording");
        List<TranscriptEntry> stored = platform.services.interviewReport()
                .report(Fixtures.admin(ACME), session.id()).transcript();
        assertTrue(stored.stream().anyMatch(e -> e.text().equals("Thank you, that is all from me.")),
                "the last words are stored: " + stored);
        assertFalse(runner.enforceTimeBudget(), "and nothing more is retried");
        assertEquals(1, reported.size());
    }
}
