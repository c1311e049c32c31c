package ai.interviewinsights.domain.runner;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.model.sdp.SdpLimits;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.RunnerAssignment;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.ClientEntry;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.port.in.NegotiateSdpUseCase.NegotiateSdp;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.port.out.ControlPlane;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import ai.interviewinsights.domain.testing.FakeRealtimeGateway;
import ai.interviewinsights.domain.testing.ForwardingControlPlane;
import ai.interviewinsights.domain.testing.ForwardingRealtimeGateway;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay path (issue 16, goal 1), by behaviour: the runner asks the control plane for its assignment once, never
 * per offer; the answer does not wait for {@code callConnected}, which is recorded from the runner's outbox after
 * it - retried while the control plane is stalled or down, never lost, and delivered before the end is reported;
 * and what else follows the answer (the replaced call hung up, the new call's sideband opened) is still done once
 * per call, in order, before the next offer is relayed (decision 25).
 */
class RunnerRelayPathTest {

    private final InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor();
    private final String offer = Fixtures.resource("sdp/chrome-offer.sdp");

    @AfterEach
    void stop() {
        background.shutdownNow();
    }

    /** The real control plane in-process, counting what the runner asks and able to stall or be down. */
    private static final class CountingControlPlane extends ForwardingControlPlane {
        final AtomicInteger assignments = new AtomicInteger();
        final AtomicInteger callReports = new AtomicInteger();
        /** Every call reported as connected, in the order the reports reached the control plane. */
        final List<RealtimeCallId> reported = new CopyOnWriteArrayList<>();
        final AtomicBoolean down = new AtomicBoolean();
        volatile CountDownLatch stall;
        final CountDownLatch stalled = new CountDownLatch(1);

        CountingControlPlane(ControlPlane real) {
            super(real);
        }

        /** When set, the first assignment fetch is held here until it opens (a start's fetch still out). */
        volatile CountDownLatch firstAssignmentGate;
        final CountDownLatch firstAssignmentHeld = new CountDownLatch(1);
        /** The held first fetch fails once it is let go (the control plane unreachable at start-up). */
        volatile boolean firstAssignmentFails;

        @Override
        public RunnerAssignment assignment() {
            int n = assignments.incrementAndGet();
            CountDownLatch gate = firstAssignmentGate;
            if (gate != null && n == 1) {
                firstAssignmentHeld.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (firstAssignmentFails) {
                    throw new DomainException(ErrorKind.UNAVAILABLE, "control_plane.unreachable",
                            "the control plane could not be reached", true, null);
                }
            }
            return real.assignment();
        }

        @Override
        public void callConnected(RealtimeCallId call) {
            callReports.incrementAndGet();
            CountDownLatch gate = stall;
            if (gate != null) {
                stalled.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (down.get()) {
                throw new DomainException(ErrorKind.UNAVAILABLE, "control_plane.unreachable",
                        "the control plane could not be reached", true, null);
            }
            real.callConnected(call);
            reported.add(call);
        }

    }

    private InterviewSession startedSession() {
        platform.registerTenant(ACME);
        Principal admin = Fixtures.admin(ACME);
        var position = platform.services.positions().create(admin, "SRE", "Ops",
                List.of(new Competency("Operations", "Runs things", 1)));
        var candidate = platform.services.candidates().create(admin, "Ada", "ada@example.com");
        return platform.services.startInterview().start(new StartInterview(admin, candidate.id(), position.id(),
                null)).session();
    }

    private CountingControlPlane controlPlane(InterviewSession session) {
        return new CountingControlPlane(new InProcessControlPlane(Fixtures.runnerPrincipal(ACME, session.id()),
                platform.services));
    }

    private InterviewRunner runner(InterviewSession session, ControlPlane controlPlane,
                                   InterviewRunner.Observer observer) {
        return new InterviewRunner(session.id(), controlPlane, platform.openai, platform.clock, SdpLimits.defaults(),
                observer, InterviewRunner.DrainPolicy.NONE, background, InterviewRunner.IngestPolicy.COALESCED);
    }

    private InterviewRunner runner(InterviewSession session, ControlPlane controlPlane, RealtimeGateway realtime) {
        return new InterviewRunner(session.id(), controlPlane, realtime, platform.clock, SdpLimits.defaults(),
                new InterviewRunner.Observer() { }, InterviewRunner.DrainPolicy.NONE, background,
                InterviewRunner.IngestPolicy.COALESCED);
    }

    /** The in-memory OpenAI, writing every step of the relay to one log, in the order they happen. */
    private static final class LoggedRealtime extends ForwardingRealtimeGateway {
        final List<String> log;

        LoggedRealtime(FakeRealtimeGateway fake, List<String> log) {
            super(fake);
            this.log = log;
        }

        @Override
        public RelayedCall relay(SdpOffer offer, RealtimeSessionConfig config) {
            RelayedCall call = real.relay(offer, config);
            log.add("relay " + call.callId().value());
            return call;
        }

        @Override
        public void hangUp(RealtimeCallId call) {
            log.add("hang up " + call.value());
            real.hangUp(call);
        }

        @Override
        public Sideband openSideband(RealtimeCallId call, SidebandListener listener) {
            Sideband opened = real.openSideband(call, listener);
            log.add("open sideband " + call.value());
            return () -> {
                log.add("close sideband " + call.value());
                opened.close();
            };
        }
    }

    private SessionStatus status(InterviewSession session) {
        return platform.services.sessions().get(Fixtures.admin(ACME), session.id()).status();
    }

    /** Waits until the runner's background thread has done what was handed to it so far. */
    private void settle() throws Exception {
        background.submit(() -> { }).get(20, TimeUnit.SECONDS);
    }

    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void many_offers_fetch_the_assignment_once() {
        InterviewSession session = startedSession();
        CountingControlPlane controlPlane = controlPlane(session);
        InterviewRunner runner = runner(session, controlPlane, new InterviewRunner.Observer() { });
        for (int i = 0; i < 5; i++) {
            runner.negotiate(new NegotiateSdp(offer));
        }
        assertEquals(1, controlPlane.assignments.get(), "5 offers, one assignment fetch");
    }

    @Test
    void an_assignment_learnt_at_start_up_serves_every_offer() {
        InterviewSession session = startedSession();
        CountingControlPlane controlPlane = controlPlane(session);
        InterviewRunner runner = runner(session, controlPlane, new InterviewRunner.Observer() { });
        runner.prepare();
        runner.negotiate(new NegotiateSdp(offer));
        runner.negotiate(new NegotiateSdp(offer));
        assertEquals(1, controlPlane.assignments.get(), "fetched before ready, never again");
    }

    @Test
    void an_offer_that_comes_while_the_starts_fetch_is_out_waits_for_its_answer_instead_of_fetching_again()
            throws Exception {
        HeldStart held = startWithItsFetchHeld(false);
        CompletableFuture<RelayedCall> answered = held.offerWhileHeld();
        held.letGo();
        assertNotNull(answered.get(20, TimeUnit.SECONDS).answer());
        assertTrue(held.start().get(20, TimeUnit.SECONDS).status().isLive());
        assertEquals(1, held.controlPlane().assignments.get(),
                "one fetch for the start and the offer that came during it");
    }

    /** A first transcript batch before any offer waits the same way, and without holding the runner's lock. */
    @Test
    void a_first_transcript_batch_and_an_offer_that_come_while_the_starts_fetch_is_out_both_wait_for_it()
            throws Exception {
        HeldStart held = startWithItsFetchHeld(false);
        CompletableFuture<Object> batched = new CompletableFuture<>();
        Thread batch = onItsOwnThread(() -> batched.complete(held.runner().acceptClientEntries(List.of(
                new ClientEntry(null, "item_u1", null, Speaker.CANDIDATE, "Hello.", platform.clock.instant(),
                        false)))), batched);
        awaitWaitingForTheFetch(batch, held.controlPlane());
        // Not blocked on the runner's lock behind the batch: waiting for the fetch too.
        CompletableFuture<RelayedCall> answered = held.offerWhileHeld();
        held.letGo();
        assertNotNull(batched.get(20, TimeUnit.SECONDS));
        assertNotNull(answered.get(20, TimeUnit.SECONDS).answer());
        assertTrue(held.start().get(20, TimeUnit.SECONDS).status().isLive());
        assertEquals(1, held.controlPlane().assignments.get(), "one fetch for the start, the batch and the offer");
    }

    @Test
    void an_offer_that_waited_for_a_fetch_that_failed_gets_its_error_and_the_next_offer_asks_anew() throws Exception {
        HeldStart held = startWithItsFetchHeld(true);
        CompletableFuture<RelayedCall> answered = held.offerWhileHeld();
        held.letGo();
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> held.start().get(20, TimeUnit.SECONDS));
        assertEquals("control_plane.unreachable", ((DomainException) failed.getCause()).code());
        ExecutionException waited = assertThrows(ExecutionException.class,
                () -> answered.get(20, TimeUnit.SECONDS));
        assertEquals("control_plane.unreachable", ((DomainException) waited.getCause()).code(),
                "the waiter gets the fetch's own error, having waited one fetch's budget, not two");
        assertEquals(1, held.controlPlane().assignments.get());
        InterviewRunner runner = held.runner();
        assertNotNull(runner.negotiate(new NegotiateSdp(offer)).answer(), "the next offer asks anew");
        runner.negotiate(new NegotiateSdp(offer));
        assertEquals(2, held.controlPlane().assignments.get(), "and what it learnt is kept");
    }

    /** A runner whose start's fetch of the assignment is out, held by the control plane until {@link #letGo}. */
    private record HeldStart(InterviewRunner runner, CountingControlPlane controlPlane,
                             CompletableFuture<RunnerAssignment> start, String offer) {
        /** An offer on a thread of its own, once it waits for the held fetch. */
        CompletableFuture<RelayedCall> offerWhileHeld() throws InterruptedException {
            CompletableFuture<RelayedCall> answered = new CompletableFuture<>();
            Thread browser = onItsOwnThread(() -> answered.complete(runner.negotiate(new NegotiateSdp(offer))),
                    answered);
            awaitWaitingForTheFetch(browser, controlPlane);
            return answered;
        }

        void letGo() {
            controlPlane.firstAssignmentGate.countDown();
        }
    }

    /** @param failsWhenLetGo whether the held fetch fails (the control plane unreachable) once let go */
    private HeldStart startWithItsFetchHeld(boolean failsWhenLetGo) throws InterruptedException {
        InterviewSession session = startedSession();
        CountingControlPlane controlPlane = controlPlane(session);
        controlPlane.firstAssignmentGate = new CountDownLatch(1);
        controlPlane.firstAssignmentFails = failsWhenLetGo;
        InterviewRunner runner = runner(session, controlPlane, new InterviewRunner.Observer() { });
        CompletableFuture<RunnerAssignment> start = CompletableFuture.supplyAsync(runner::prepare);
        assertTrue(controlPlane.firstAssignmentHeld.await(20, TimeUnit.SECONDS), "the start's fetch is out");
        return new HeldStart(runner, controlPlane, start, offer);
    }

    /** Runs {@code work} on a thread of its own; what it throws completes {@code failed}. */
    private static Thread onItsOwnThread(Runnable work, CompletableFuture<?> failed) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (Throwable e) {
                failed.completeExceptionally(e);
            }
        }, "browser");
        thread.start();
        return thread;
    }

    /**
     * Until the thread waits for the fetch under way (parked in {@code CompletableFuture}), having asked the control
     * plane nothing itself; fails if it ends first or within 20 s never does.
     */
    private static void awaitWaitingForTheFetch(Thread thread, CountingControlPlane controlPlane)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(thread.getState() == Thread.State.WAITING && java.util.Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().startsWith(CompletableFuture.class.getName())))) {
            assertTrue(thread.isAlive(), "it finished before the start's fetch did: it asked on its own");
            assertTrue(System.nanoTime() < end, "it never waited for the fetch: " + thread.getState());
            Thread.sleep(5);
        }
        assertEquals(1, controlPlane.assignments.get(), "it asked the control plane nothing itself");
    }

    @Test
    void the_answer_is_given_while_the_control_plane_is_stalled_and_the_call_is_recorded_after_it_recovers()
            throws Exception {
        InterviewSession session = startedSession();
        CountingControlPlane controlPlane = controlPlane(session);
        InterviewRunner runner = runner(session, controlPlane, new InterviewRunner.Observer() { });
        runner.prepare();
        CountDownLatch release = new CountDownLatch(1);
        controlPlane.stall = release;
        try {
            CompletableFuture<RelayedCall> answer = CompletableFuture.supplyAsync(
                    () -> runner.negotiate(new NegotiateSdp(offer)));
            // Generous bound: the answer must come back while callConnected is still stuck, not after it.
            RelayedCall call = answer.get(20, TimeUnit.SECONDS);
            assertNotNull(call.answer());
            assertTrue(controlPlane.stalled.await(20, TimeUnit.SECONDS), "the report went out after the answer");
            assertEquals(SessionStatus.READY, status(session), "not recorded while the control plane is stalled");
        } finally {
            release.countDown();
        }
        eventually(() -> status(session) == SessionStatus.ACTIVE, "the call recorded once the control plane answers");
    }

    @Test
    void a_call_reported_while_the_control_plane_is_down_is_retried_and_never_lost() throws Exception {
        InterviewSession session = startedSession();
        CountingControlPlane controlPlane = controlPlane(session);
        InterviewRunner runner = runner(session, controlPlane, new InterviewRunner.Observer() { });
        controlPlane.down.set(true);
        RelayedCall call = runner.negotiate(new NegotiateSdp(offer));
        eventually(() -> controlPlane.callReports.get() >= 1, "the first report attempt");
        runner.enforceTimeBudget(); // a tick while still down: tried again, kept again
        settle();
        assertTrue(controlPlane.callReports.get() >= 2, "retried from the outbox");
        assertEquals(SessionStatus.READY, status(session));

        controlPlane.down.set(false);
        runner.enforceTimeBudget(); // the next tick after the control plane is back
        settle();
        assertEquals(SessionStatus.ACTIVE, status(session));
        assertEquals(call.callId(), platform.services.sessions().get(Fixtures.admin(ACME), session.id()).callId()
                .orElseThrow());
        int reports = controlPlane.callReports.get();
        runner.enforceTimeBudget();
        settle();
        assertEquals(reports, controlPlane.callReports.get(), "acknowledged: not reported again");
        assertTrue(platform.openai.isSidebandOpen(call.callId()), "the call was kept throughout");
    }

    @Test
    void an_unrecorded_call_is_recorded_before_the_end_is_reported() throws Exception {
        InterviewSession session = startedSession();
        CountingControlPlane controlPlane = controlPlane(session);
        InterviewRunner runner = runner(session, controlPlane, new InterviewRunner.Observer() { });
        controlPlane.down.set(true);
        runner.negotiate(new NegotiateSdp(offer));
        settle(); // the background attempt has failed by now
        assertEquals(SessionStatus.READY, status(session));
        controlPlane.down.set(false);
        // Without the call on record the control plane would take the end for "never connected" and cancel.
        runner.end(EndReason.CANDIDATE_ENDED, null, List.of());
        SessionStatus after = status(session);
        assertTrue(after == SessionStatus.ENDING || after == SessionStatus.COMPLETED,
                "ended as an interview that happened, not cancelled: " + after);
    }

    @Test
    void a_call_the_control_plane_refuses_for_good_is_hung_up_and_the_runner_takes_no_more_offers() throws Exception {
        InterviewSession session = startedSession();
        CountingControlPlane controlPlane = controlPlane(session);
        AtomicReference<String> refused = new AtomicReference<>();
        InterviewRunner runner = runner(session, controlPlane, new InterviewRunner.Observer() {
            @Override
            public void callRefused(String code, String message) {
                refused.set(code);
            }
        });
        runner.prepare(); // READY, kept
        platform.services.cancelInterview().cancel(Fixtures.admin(ACME), session.id());
        RelayedCall call = runner.negotiate(new NegotiateSdp(offer)); // answered from the kept assignment
        eventually(() -> refused.get() != null, "the refusal of callConnected reaches the runner");
        assertTrue(platform.openai.hungUpCalls().contains(call.callId()), "the refused call is hung up");
        assertFalse(platform.openai.isSidebandOpen(call.callId()), "and its sideband closed");
        DomainException next = assertThrows(DomainException.class, () -> runner.negotiate(new NegotiateSdp(offer)));
        assertEquals("session.not_live", next.code());
    }

    @Test
    void the_answer_goes_out_first_and_what_follows_it_is_done_once_per_call_in_order() throws Exception {
        InterviewSession session = startedSession();
        CountingControlPlane controlPlane = controlPlane(session);
        List<String> log = new CopyOnWriteArrayList<>();
        InterviewRunner runner = runner(session, controlPlane, new LoggedRealtime(platform.openai, log));
        runner.prepare();
        List<RealtimeCallId> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(runner.negotiate(new NegotiateSdp(offer), call -> log.add("answer " + call.callId().value()))
                    .callId());
            settle(); // each report has gone out before the next offer replaces the call it names
        }
        String c1 = calls.get(0).value();
        String c2 = calls.get(1).value();
        String c3 = calls.get(2).value();
        assertEquals(List.of(
                "relay " + c1, "answer " + c1, "open sideband " + c1,
                "relay " + c2, "answer " + c2, "close sideband " + c1, "hang up " + c1, "open sideband " + c2,
                "relay " + c3, "answer " + c3, "close sideband " + c2, "hang up " + c2, "open sideband " + c3),
                log, "each answer before the work that follows it, which is done before the next offer");
        assertEquals(calls, controlPlane.reported, "every call recorded once, in order");
        assertEquals(java.util.Set.of(calls.get(2)), platform.openai.openSidebands(), "one sideband: the live call's");
        assertEquals(List.of(calls.get(0), calls.get(1)), platform.openai.hangUpRequests(),
                "every replaced call hung up once");
        assertEquals(calls.get(2), platform.services.sessions().get(Fixtures.admin(ACME), session.id()).callId()
                .orElseThrow(), "the session's call is the last one");
    }

    @Test
    void an_end_between_the_answer_and_the_sideband_leaves_no_sideband_and_every_call_hung_up_once()
            throws Exception {
        InterviewSession session = startedSession();
        CountingControlPlane controlPlane = controlPlane(session);
        InterviewRunner runner = runner(session, controlPlane, new InterviewRunner.Observer() { });
        RelayedCall first = runner.negotiate(new NegotiateSdp(offer));
        settle();
        // The candidate's end (or the time budget) lands just after the second answer went out.
        RelayedCall second = runner.negotiate(new NegotiateSdp(offer),
                call -> runner.end(EndReason.CANDIDATE_ENDED, null, List.of()));
        settle();
        assertTrue(runner.isEnded());
        assertEquals(java.util.Set.of(), platform.openai.openSidebands(), "no sideband outlives the interview");
        assertEquals(List.of(first.callId(), second.callId()), platform.openai.hangUpRequests(),
                "the end hangs up the replaced call still waiting for its turn, then the live one; each once");
        assertEquals(List.of(first.callId(), second.callId()), controlPlane.reported, "both recorded, in order");
        SessionStatus after = status(session);
        assertTrue(after == SessionStatus.ENDING || after == SessionStatus.COMPLETED, "ended, not cancelled: " + after);
    }

    @Test
    void the_end_waits_for_a_replaced_calls_hang_up_already_running_before_it_reports_the_end() throws Exception {
        InterviewSession session = startedSession();
        List<String> log = new CopyOnWriteArrayList<>();
        SlowFirstHangUp slowHangUp = new SlowFirstHangUp(new LoggedRealtime(platform.openai, log), log);
        ControlPlane controlPlane = new ForwardingControlPlane(controlPlane(session)) {
            @Override
            public void ended(EndReason reason, ai.interviewinsights.domain.model.recording.RecordingReport recording) {
                log.add("end reported");
                super.ended(reason, recording);
            }
        };
        InterviewRunner runner = runner(session, controlPlane, slowHangUp);
        RelayedCall first = runner.negotiate(new NegotiateSdp(offer));
        settle();
        runner.negotiate(new NegotiateSdp(offer)); // replaces the first: its hang-up runs on the background thread
        assertTrue(slowHangUp.hangingUp.await(20, TimeUnit.SECONDS), "the replaced call's hang-up started");
        CompletableFuture<Void> ended = CompletableFuture.runAsync(
                () -> runner.end(EndReason.CANDIDATE_ENDED, null, List.of()));
        Thread.sleep(200); // the end runs meanwhile; OpenAI answers the hang-up after that
        slowHangUp.release.countDown();
        ended.get(20, TimeUnit.SECONDS);
        assertTrue(log.indexOf("hung up " + first.callId().value()) >= 0, "the replaced call was hung up: " + log);
        assertTrue(log.indexOf("hung up " + first.callId().value()) < log.indexOf("end reported"),
                "the end is reported only once the replaced call is hung up: " + log);
    }

    /** The logged OpenAI, whose answer to a relay is held (the call created at OpenAI, its answer on the way). */
    private static final class HeldAnswer extends ForwardingRealtimeGateway {
        final CountDownLatch relaying = new CountDownLatch(1);
        final CountDownLatch answer = new CountDownLatch(1);
        volatile boolean hold;

        HeldAnswer(LoggedRealtime logged) {
            super(logged);
        }

        @Override
        public RelayedCall relay(SdpOffer sdp, RealtimeSessionConfig config) {
            RelayedCall call = real.relay(sdp, config);
            if (hold) {
                relaying.countDown();
                try {
                    answer.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return call;
        }
    }

    /**
     * The logged OpenAI slow to answer the first hang-up (the replaced call's, on the runner's background thread)
     * until released; later ones are answered at once. Each answered hang-up is logged as "hung up".
     */
    private static final class SlowFirstHangUp extends ForwardingRealtimeGateway {
        final CountDownLatch hangingUp = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean first = new AtomicBoolean(true);
        final List<String> log;

        SlowFirstHangUp(LoggedRealtime logged, List<String> log) {
            super(logged);
            this.log = log;
        }

        @Override
        public void hangUp(RealtimeCallId call) {
            if (first.getAndSet(false)) {
                hangingUp.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS); // OpenAI slow to answer the DELETE
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            real.hangUp(call);
            log.add("hung up " + call.value());
        }
    }

    /**
     * The runner is stopped (SIGTERM) while OpenAI answers a renegotiation: the suspension hung up the call it knew,
     * and the answer's call came after it. That call was made current all the same, with no sideband (the runner was
     * closing) and nobody left to hang it up, while the session, still live, accepted its record: the candidate went
     * on talking on a call that recorded nothing. Now it is hung up and the offer refused; so is what the page sends
     * meanwhile, as {@code runner.stopping} (retryable: the page reconnects to a fresh runner), not as an ended
     * interview.
     */
    @Test
    void an_answer_that_comes_after_the_runner_was_stopped_is_hung_up_and_the_page_told_to_reconnect()
            throws Exception {
        InterviewSession session = startedSession();
        List<String> log = new CopyOnWriteArrayList<>();
        HeldAnswer openai = new HeldAnswer(new LoggedRealtime(platform.openai, log));
        CountingControlPlane controlPlane = controlPlane(session);
        InterviewRunner runner = runner(session, controlPlane, openai);
        RelayedCall first = runner.negotiate(new NegotiateSdp(offer));
        settle();
        openai.hold = true;
        CompletableFuture<RelayedCall> renegotiated = CompletableFuture.supplyAsync(
                () -> runner.negotiate(new NegotiateSdp(offer)));
        assertTrue(openai.relaying.await(20, TimeUnit.SECONDS), "OpenAI has the second offer");
        runner.suspend(Duration.ZERO);
        openai.answer.countDown();

        ExecutionException refused = assertThrows(ExecutionException.class, () -> renegotiated.get(20,
                TimeUnit.SECONDS));
        DomainException why = (DomainException) refused.getCause();
        assertEquals("runner.stopping", why.code());
        assertTrue(why.retryable());
        settle();
        List<String> relayed = log.stream().filter(l -> l.startsWith("relay ")).map(l -> l.substring(6)).toList();
        assertEquals(2, relayed.size(), log.toString());
        String second = relayed.get(1);
        assertTrue(log.contains("hang up " + first.callId().value()), "the suspension hung up the first: " + log);
        assertTrue(log.contains("hang up " + second), "and the late answer's call is hung up: " + log);
        assertFalse(log.contains("open sideband " + second), log.toString());
        assertEquals(java.util.Set.of(), platform.openai.openSidebands());
        assertEquals(List.of(first.callId()), controlPlane.reported, "the late call was never recorded");
        assertEquals(SessionStatus.ACTIVE, status(session), "the session goes on, for a fresh runner");

        DomainException batch = assertThrows(DomainException.class, () -> runner.acceptClientEntries(List.of(
                new ClientEntry(IdempotencyKey.of("typed-late"), null, null, Speaker.CANDIDATE, "still here",
                        platform.clock.instant(), false))));
        assertEquals("runner.stopping", batch.code(), "not an ended interview: the page would say it ended");
    }

    /** The same while the interview ends: the end's call is hung up, the late one too, and the offer is refused. */
    @Test
    void an_answer_that_comes_after_the_end_is_hung_up_and_refused() throws Exception {
        InterviewSession session = startedSession();
        List<String> log = new CopyOnWriteArrayList<>();
        HeldAnswer openai = new HeldAnswer(new LoggedRealtime(platform.openai, log));
        InterviewRunner runner = runner(session, controlPlane(session), openai);
        runner.negotiate(new NegotiateSdp(offer));
        settle();
        openai.hold = true;
        CompletableFuture<RelayedCall> renegotiated = CompletableFuture.supplyAsync(
                () -> runner.negotiate(new NegotiateSdp(offer)));
        assertTrue(openai.relaying.await(20, TimeUnit.SECONDS));
        runner.end(EndReason.CANDIDATE_ENDED, null, List.of());
        openai.answer.countDown();

        ExecutionException refused = assertThrows(ExecutionException.class, () -> renegotiated.get(20,
                TimeUnit.SECONDS));
        assertEquals("session.not_live", ((DomainException) refused.getCause()).code());
        settle();
        List<String> relayed = log.stream().filter(l -> l.startsWith("relay ")).map(l -> l.substring(6)).toList();
        assertTrue(log.contains("hang up " + relayed.get(1)), "the late answer's call is hung up: " + log);
        assertEquals(java.util.Set.of(), platform.openai.openSidebands());
    }

    /** As the end does, the suspension waits for a replaced call's hang-up already running in the background. */
    @Test
    void the_suspension_waits_for_a_replaced_calls_hang_up_already_running() throws Exception {
        InterviewSession session = startedSession();
        List<String> log = new CopyOnWriteArrayList<>();
        SlowFirstHangUp slowHangUp = new SlowFirstHangUp(new LoggedRealtime(platform.openai, log), log);
        InterviewRunner runner = runner(session, controlPlane(session), slowHangUp);
        RelayedCall first = runner.negotiate(new NegotiateSdp(offer));
        settle();
        runner.negotiate(new NegotiateSdp(offer)); // replaces the first: its hang-up runs on the background thread
        assertTrue(slowHangUp.hangingUp.await(20, TimeUnit.SECONDS), "the replaced call's hang-up started");
        CompletableFuture<Void> suspended = CompletableFuture.runAsync(() -> runner.suspend(Duration.ZERO));
        Thread.sleep(200); // the suspension runs meanwhile; OpenAI answers the hang-up after that
        assertFalse(suspended.isDone(), "the suspension waits for the replaced call's hang-up: " + log);
        slowHangUp.release.countDown();
        suspended.get(20, TimeUnit.SECONDS);
        assertTrue(log.contains("hung up " + first.callId().value()), "done before the process may exit: " + log);
    }

    @Test
    void an_answer_that_cannot_be_sent_still_gets_its_sideband_and_its_record() throws Exception {
        InterviewSession session = startedSession();
        CountingControlPlane controlPlane = controlPlane(session);
        InterviewRunner runner = runner(session, controlPlane, new InterviewRunner.Observer() { });
        RelayedCall first = runner.negotiate(new NegotiateSdp(offer));
        settle();
        AtomicReference<RelayedCall> told = new AtomicReference<>();
        IllegalStateException gone = assertThrows(IllegalStateException.class, () -> runner.negotiate(
                new NegotiateSdp(offer), call -> {
                    told.set(call);
                    throw new IllegalStateException("the browser's socket is gone");
                }));
        assertEquals("the browser's socket is gone", gone.getMessage(), "what the sender threw is passed on");
        settle();
        RealtimeCallId second = told.get().callId();
        assertEquals(java.util.Set.of(second), platform.openai.openSidebands(), "the live call keeps its sideband");
        assertEquals(List.of(first.callId()), platform.openai.hangUpRequests(), "the replaced call hung up once");
        assertEquals(List.of(first.callId(), second), controlPlane.reported, "both recorded, in order");
        assertEquals(SessionStatus.ACTIVE, status(session));
    }

    @Test
    void the_next_offer_does_not_wait_for_the_work_after_an_answer_and_one_call_is_left() throws Exception {
        InterviewSession session = startedSession();
        CountingControlPlane controlPlane = controlPlane(session);
        InterviewRunner runner = runner(session, controlPlane, new InterviewRunner.Observer() { });
        RelayedCall first = runner.negotiate(new NegotiateSdp(offer));
        settle();
        CountDownLatch busy = new CountDownLatch(1);
        background.execute(() -> {
            try {
                busy.await(); // the background thread is busy (a slow transcript write, say)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        RelayedCall second;
        RelayedCall third;
        try {
            second = runner.negotiate(new NegotiateSdp(offer));
            third = runner.negotiate(new NegotiateSdp(offer));
            assertEquals(List.of(), platform.openai.hangUpRequests(), "answered without waiting for any hang-up");
        } finally {
            busy.countDown();
        }
        settle();
        assertEquals(List.of(first.callId(), second.callId()), platform.openai.hangUpRequests(),
                "every replaced call hung up once, in order");
        assertEquals(java.util.Set.of(third.callId()), platform.openai.openSidebands(),
                "one sideband, the live call's: the call replaced before its turn never got one");
        assertEquals(List.of(first.callId(), third.callId()), controlPlane.reported, "the live call is recorded");
        assertEquals(third.callId(), platform.services.sessions().get(Fixtures.admin(ACME), session.id()).callId()
                .orElseThrow());
    }
}
