package ai.interviewinsights.domain.service;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static ai.interviewinsights.domain.testing.Fixtures.GLOBEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.runner.LeaseHolder;
import ai.interviewinsights.domain.model.runner.RunnerLease;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.runner.InterviewRunner;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import ai.interviewinsights.domain.port.in.InviteCandidateUseCase;
import ai.interviewinsights.domain.port.in.NegotiateSdpUseCase.NegotiateSdp;
import ai.interviewinsights.domain.port.in.RejoinInterviewUseCase.RejoinInterview;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.port.in.StartedInterview;
import ai.interviewinsights.domain.port.out.RunnerProvisioner;
import ai.interviewinsights.domain.testing.FakeRunnerProvisioner;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 10, the last items: runners are found through leases by any control-plane instance (ADR 0018), staff rejoin
 * an admin-flow interview whose runner died the way a candidate rejoins through the invite, and a replacement runner
 * keeps the session's deadline. Two instances share one in-memory database; time is the platform's hand-moved clock.
 */
class RunnerLeaseScenarioTest {

    private static final Duration LEASE = InterviewPolicies.defaults().runnerLease();

    private final InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
    /** Instance B: the same database, leases and clock; runners of its own (another machine's processes). */
    private final FakeRunnerProvisioner runnersOfB = new FakeRunnerProvisioner(platform.clock, "b-runner-");
    private final InterviewServices instanceB = platform.secondInstance(runnersOfB, InterviewPolicies.defaults());
    private Principal admin;
    private Position position;
    private Candidate candidate;

    @BeforeEach
    void a_company_with_a_position_and_a_candidate() {
        platform.registerTenant(ACME);
        admin = Fixtures.admin(ACME);
        position = platform.services.positions().create(admin, "SRE", "Ops",
                List.of(new Competency("Operations", "Runs things", 1)));
        candidate = platform.services.candidates().create(admin, "Ada", "ada@example.com");
    }

    private StartedInterview startOnA() {
        return platform.services.startInterview().start(new StartInterview(admin, candidate.id(), position.id(),
                null));
    }

    private RunnerRef runnerOf(SessionId session) {
        return platform.services.sessions().get(admin, session).runner().orElseThrow();
    }

    private long replacements() {
        return platform.repositories.allAuditEvents().stream()
                .filter(e -> e.action().equals("session.runner_replaced")).count();
    }

    @Test
    void a_session_started_on_one_instance_is_rejoined_through_another_while_its_lease_lives() {
        StartedInterview started = startOnA();
        SessionId id = started.session().id();
        RunnerRef runner = runnerOf(id);
        RunnerLease lease = platform.leases.find(id).orElseThrow();
        assertEquals(runner, lease.runner());
        assertEquals(new LeaseHolder("instance-a"), lease.holder());
        assertEquals(platform.clock.instant().plus(LEASE), lease.expiresAt());

        // A renews what it runs; B, which does not run that runner, finds it through the lease for as long as A does.
        for (int i = 0; i < 4; i++) {
            platform.clock.advance(LEASE.dividedBy(3));
            assertEquals(List.of(runner.runnerId()), platform.services.renewRunnerLeases().renewLeases().renewed());
        }
        StartedInterview throughB = instanceB.rejoinInterview().rejoin(new RejoinInterview(admin, id));
        assertFalse(throughB.fresh());
        assertEquals(runner, throughB.session().runner().orElseThrow(), "the same runner, not a fresh one");
        assertTrue(throughB.websocketUrl().startsWith(runner.endpoint().toString()));
        assertEquals(0, runnersOfB.liveCount(), "B started nothing");
        assertEquals(0, replacements());
    }

    @Test
    void a_candidate_redeeming_again_through_another_instance_rejoins_the_runner_the_first_one_runs() {
        InviteCandidateUseCase.IssuedInvite invite = platform.services.inviteCandidate().invite(
                new InviteCandidateUseCase.InviteCandidate(admin, candidate.id(), position.id(), null, null));
        String token = invite.token().value().reveal();
        StartedInterview first = platform.services.redeemInvite().redeem(token, platform.consent());
        RunnerRef runner = first.session().runner().orElseThrow();

        StartedInterview throughB = instanceB.redeemInvite().redeem(token, platform.consent());
        assertFalse(throughB.fresh());
        assertEquals(runner, throughB.session().runner().orElseThrow());
        assertEquals(0, runnersOfB.liveCount());

        platform.clock.advance(LEASE); // A stopped renewing: the runner counts as gone
        StartedInterview resumed = instanceB.redeemInvite().redeem(token, platform.consent());
        assertEquals(first.session().id(), resumed.session().id());
        assertNotEquals(runner.runnerId(), resumed.session().runner().orElseThrow().runnerId());
        assertEquals(1, runnersOfB.liveCount());
    }

    @Test
    void an_expired_lease_means_the_runner_is_gone_and_the_next_rejoin_gets_a_fresh_runner_for_the_same_session() {
        StartedInterview started = startOnA();
        SessionId id = started.session().id();
        RunnerRef lost = runnerOf(id);
        var first = platform.runnerFor(ACME, id, new InterviewRunner.Observer() { });
        RelayedCall call = first.negotiate(new NegotiateSdp(Fixtures.resource("sdp/chrome-offer.sdp")));
        playTurns(call, id, 0, 4);

        // Instance A stops vouching (killed, or cut off): nobody renews, and one lease later the runner counts as gone.
        platform.clock.advance(LEASE);
        StartedInterview throughB = instanceB.rejoinInterview().rejoin(new RejoinInterview(admin, id));
        RunnerRef fresh = throughB.session().runner().orElseThrow();
        assertNotEquals(lost.runnerId(), fresh.runnerId());
        assertEquals(id, throughB.session().id(), "the same session");
        assertEquals(SessionStatus.ACTIVE, throughB.session().status());
        assertEquals(1, runnersOfB.liveCount(), "B runs the fresh runner");
        assertEquals(1, replacements());
        RunnerLease taken = platform.leases.find(id).orElseThrow();
        assertEquals(fresh, taken.runner());
        assertEquals(new LeaseHolder("instance-b"), taken.holder());

        // A, back, renews: its runner has no lease any more and is stopped, so the session never keeps two runners.
        assertEquals(List.of(lost.runnerId()), platform.services.renewRunnerLeases().renewLeases().stopped());
        assertTrue(platform.runners.destroyedIds().contains(lost.runnerId()));
        assertEquals(List.of(fresh.runnerId()), instanceB.renewRunnerLeases().renewLeases().renewed());
    }

    /**
     * Two reloads rejoin a session whose runner is gone at the same moment, and both are handed the same fresh
     * runner: through one instance, whose provisioner starts a session's runner once (the pool's and the local
     * provisioner's starts in flight); or through two instances over a provider every instance sees, which finds the
     * session's runner by its name (Fly: a machine per session). The lease goes to one of them. The other must not
     * stop that runner on losing: it is the winner's too (stopped, the winner's candidate got a dead link). It is told
     * to retry, and its retry joins it.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"one instance", "two instances, a provider that sees every runner"})
    void two_rejoins_at_once_handed_the_same_fresh_runner_and_the_one_that_loses_the_lease_stops_nothing(String how)
            throws Exception {
        boolean shared = how.startsWith("two");
        SessionId id = startOnA().session().id();
        RunnerRef lost = runnerOf(id);
        platform.clock.advance(LEASE); // A stopped renewing: its runner counts as gone
        java.util.concurrent.CyclicBarrier bothStarted = new java.util.concurrent.CyclicBarrier(2);
        RunnerProvisioner startsOnce = new RunnerProvisioner() {
            @Override
            public RunnerRef provision(ai.interviewinsights.domain.model.runner.RunnerSpec spec) {
                RunnerRef ref = runnersOfB.provision(spec); // the same runner for the same session
                try {
                    bothStarted.await(10, java.util.concurrent.TimeUnit.SECONDS); // both loaded, neither granted yet
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return ref;
            }

            @Override
            public void destroy(ai.interviewinsights.domain.model.identity.TenantId tenant,
                                ai.interviewinsights.domain.model.runner.RunnerId runnerId) {
                runnersOfB.destroy(tenant, runnerId);
            }

            @Override
            public List<ai.interviewinsights.domain.model.runner.LiveRunner> listLive() {
                return runnersOfB.listLive();
            }

            @Override
            public List<ai.interviewinsights.domain.model.runner.LiveRunner> runningHere() {
                return shared ? List.of() : runnersOfB.runningHere();
            }

            @Override
            public boolean seesEveryRunner() {
                return shared;
            }
        };
        InterviewServices first = platform.anotherInstance(startsOnce, InterviewPolicies.defaults(),
                new LeaseHolder("instance-b"));
        InterviewServices second = shared ? platform.anotherInstance(startsOnce, InterviewPolicies.defaults(),
                new LeaseHolder("instance-c")) : first;
        java.util.concurrent.ExecutorService reloads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<StartedInterview>> rejoins = List.of(
                    reloads.submit(() -> first.rejoinInterview().rejoin(new RejoinInterview(admin, id))),
                    reloads.submit(() -> second.rejoinInterview().rejoin(new RejoinInterview(admin, id))));
            List<StartedInterview> joined = new java.util.ArrayList<>();
            List<String> refused = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<StartedInterview> rejoin : rejoins) {
                try {
                    joined.add(rejoin.get(10, java.util.concurrent.TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    refused.add(((DomainException) e.getCause()).code());
                }
            }
            assertEquals(1, joined.size(), "one of them won the lease");
            assertEquals(List.of("session.resuming"), refused, "the other is told to retry");
            RunnerRef fresh = joined.get(0).session().runner().orElseThrow();
            assertNotEquals(lost.runnerId(), fresh.runnerId());
            assertEquals(List.of(), runnersOfB.destroyedIds(), "the loser stopped nothing");
            assertTrue(runnersOfB.isAlive(ACME, fresh.runnerId()), "the runner handed out runs");

            for (InterviewServices instance : List.of(first, second)) {
                StartedInterview retried = instance.rejoinInterview().rejoin(new RejoinInterview(admin, id));
                assertEquals(fresh, retried.session().runner().orElseThrow(), "a retry joins the same runner");
            }
            assertEquals(1, runnersOfB.liveCount());
            assertEquals(1, replacements());
        } finally {
            reloads.shutdownNow();
        }
    }

    @Test
    void an_interview_called_off_through_another_instance_has_its_runner_stopped_by_the_instance_that_runs_it() {
        SessionId id = startOnA().session().id();
        RunnerRef runner = runnerOf(id);
        instanceB.cancelInterview().cancel(admin, id); // B cannot reach A's process: it ends the lease
        assertTrue(platform.leases.find(id).isEmpty());
        assertEquals(1, platform.runners.liveCount(), "A's process still runs for now");

        // A's next renewal finds the lease gone and stops its runner (once it is older than one lease).
        assertEquals(List.of(), platform.services.renewRunnerLeases().renewLeases().stopped(),
                "a runner younger than a lease may still be waiting for its grant");
        platform.clock.advance(LEASE);
        assertEquals(List.of(runner.runnerId()), platform.services.renewRunnerLeases().renewLeases().stopped());
        assertEquals(0, platform.runners.liveCount());
        assertTrue(platform.repositories.allAuditEvents().stream()
                .anyMatch(e -> e.action().equals("runner.lease_lost")));
    }

    @Test
    void a_provider_that_sees_every_runner_has_the_last_word_over_a_live_lease() {
        // Fly: every instance asks the same machines API, so a dead machine is dead whatever its lease says.
        RunnerProvisioner sharedMachines = new RunnerProvisioner() {
            @Override
            public RunnerRef provision(ai.interviewinsights.domain.model.runner.RunnerSpec spec) {
                return platform.runners.provision(spec);
            }

            @Override
            public void destroy(ai.interviewinsights.domain.model.identity.TenantId tenant,
                                ai.interviewinsights.domain.model.runner.RunnerId runnerId) {
                platform.runners.destroy(tenant, runnerId);
            }

            @Override
            public List<ai.interviewinsights.domain.model.runner.LiveRunner> listLive() {
                return platform.runners.listLive();
            }
        };
        InterviewServices flyInstance = platform.secondInstance(sharedMachines, InterviewPolicies.defaults());
        SessionId id = startOnA().session().id();
        RunnerRef machine = runnerOf(id);
        assertEquals(machine, flyInstance.rejoinInterview().rejoin(new RejoinInterview(admin, id)).session()
                .runner().orElseThrow(), "alive per the provider: the same machine");

        platform.runners.destroy(ACME, machine.runnerId()); // the machine died; its lease has not expired yet
        assertTrue(platform.leases.find(id).orElseThrow().isLiveAt(platform.clock.instant()));
        RunnerRef fresh = flyInstance.rejoinInterview().rejoin(new RejoinInterview(admin, id)).session().runner()
                .orElseThrow();
        assertNotEquals(machine.runnerId(), fresh.runnerId());
        assertEquals(1, replacements());
    }

    @Test
    void staff_rejoin_an_admin_flow_interview_whose_runner_died_with_the_same_transcript_and_continued_positions() {
        StartedInterview started = startOnA();
        SessionId id = started.session().id();
        var first = platform.runnerFor(ACME, id, new InterviewRunner.Observer() { });
        RelayedCall firstCall = first.negotiate(new NegotiateSdp(Fixtures.resource("sdp/chrome-offer.sdp")));
        playTurns(firstCall, id, 0, 4);
        assertEquals(4, transcript(id).size());

        // While the runner lives, a rejoin (a reload, another tab) goes back to it.
        StartedInterview again = platform.services.rejoinInterview().rejoin(new RejoinInterview(admin, id));
        assertEquals(runnerOf(id), again.session().runner().orElseThrow());
        assertEquals(0, replacements());

        // The runner dies (its process was killed): staff come back and get a fresh runner for the same session.
        RunnerRef dead = runnerOf(id);
        platform.runners.destroy(ACME, dead.runnerId());
        StartedInterview resumed = platform.services.rejoinInterview().rejoin(
                new RejoinInterview(Fixtures.interviewer(ACME), id));
        assertFalse(resumed.fresh());
        assertNotEquals(dead.runnerId(), resumed.session().runner().orElseThrow().runnerId());
        assertEquals(1, replacements());
        var second = platform.runnerFor(ACME, id, new InterviewRunner.Observer() { });
        RelayedCall secondCall = second.negotiate(new NegotiateSdp(Fixtures.resource("sdp/chrome-offer.sdp")));
        playTurns(secondCall, id, 4, 3);
        second.end(EndReason.CANDIDATE_ENDED, null, List.of());

        List<TranscriptEntry> transcript = transcript(id);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), transcript.stream().map(TranscriptEntry::position).toList(),
                "the fresh runner carries on after what was stored");
        assertEquals(List.of("turn 0", "turn 1", "turn 2", "turn 3", "turn 4", "turn 5", "turn 6"),
                transcript.stream().map(TranscriptEntry::text).toList());
        assertTrue(platform.leases.find(id).isEmpty(), "the end released the lease");
    }

    @Test
    void staff_rejoin_is_for_staff_of_the_tenant_and_for_admin_flow_sessions_that_still_live() {
        SessionId staffSession = startOnA().session().id();
        InviteCandidateUseCase.IssuedInvite invite = platform.services.inviteCandidate().invite(
                new InviteCandidateUseCase.InviteCandidate(admin, candidate.id(), position.id(), null, null));
        SessionId inviteSession = platform.services.redeemInvite().redeem(invite.token().value().reveal(),
                platform.consent()).session().id();

        DomainException inviteFlow = assertThrows(DomainException.class, () -> platform.services.rejoinInterview()
                .rejoin(new RejoinInterview(admin, inviteSession)));
        assertEquals("session.invite_flow", inviteFlow.code());
        platform.registerTenant(GLOBEX);
        DomainException otherTenant = assertThrows(DomainException.class, () -> platform.services.rejoinInterview()
                .rejoin(new RejoinInterview(Fixtures.admin(GLOBEX), staffSession)));
        assertEquals(ErrorKind.NOT_FOUND, otherTenant.kind());
        DomainException candidateItself = assertThrows(DomainException.class, () -> platform.services
                .rejoinInterview().rejoin(new RejoinInterview(Fixtures.candidatePrincipal(ACME, staffSession),
                        staffSession)));
        assertEquals(ErrorKind.FORBIDDEN, candidateItself.kind());

        platform.services.cancelInterview().cancel(admin, staffSession);
        DomainException over = assertThrows(DomainException.class, () -> platform.services.rejoinInterview()
                .rejoin(new RejoinInterview(admin, staffSession)));
        assertEquals("session.not_live", over.code());
        assertTrue(platform.leases.find(staffSession).isEmpty(), "the cancel released the lease");
    }

    @Test
    void a_resumed_runner_keeps_the_time_left_not_a_fresh_budget() {
        StartedInterview started = startOnA();
        SessionId id = started.session().id();
        Duration budget = started.session().settings().maxDuration();
        var first = platform.runnerFor(ACME, id, new InterviewRunner.Observer() { });
        first.negotiate(new NegotiateSdp(Fixtures.resource("sdp/chrome-offer.sdp")));
        Instant connected = platform.clock.instant();
        assertEquals(connected.plus(budget), first.deadline().orElseThrow());

        // Ten minutes in, the runner dies; staff resume on a fresh runner.
        platform.clock.advance(Duration.ofMinutes(10));
        platform.runners.destroy(ACME, runnerOf(id).runnerId());
        platform.services.rejoinInterview().rejoin(new RejoinInterview(admin, id));
        var spec = platform.runners.runnerFor(id).orElseThrow().spec();
        assertEquals(budget.minusMinutes(10), spec.maxDuration(), "the fresh runner is bounded by the time left");

        var second = platform.runnerFor(ACME, id, new InterviewRunner.Observer() { });
        second.negotiate(new NegotiateSdp(Fixtures.resource("sdp/chrome-offer.sdp")));
        assertEquals(connected.plus(budget), second.deadline().orElseThrow(), "the session's deadline, unchanged");

        platform.clock.set(connected.plus(budget).minusSeconds(1));
        assertFalse(second.enforceTimeBudget(), "a second is still left");
        platform.clock.set(connected.plus(budget));
        assertTrue(second.enforceTimeBudget(), "the original budget is spent: the interview ends");
        assertEquals(EndReason.TIME_BUDGET_SPENT, platform.services.sessions().get(admin, id).endReason()
                .orElseThrow());
    }

    /** Plays {@code count} finished turns on the call, alternating interviewer and candidate, from {@code from}. */
    private void playTurns(RelayedCall call, SessionId session, int from, int count) {
        Instant t = platform.clock.instant();
        TranscriptSource sb = TranscriptSource.SIDEBAND;
        String previous = null;
        for (int i = from; i < from + count; i++) {
            String item = session.shortId() + "_" + call.callId().value() + "_" + i;
            boolean ai = i % 2 == 0;
            platform.openai.emit(call.callId(), new RealtimeEvent.ItemAdded(item, previous,
                    ai ? Speaker.AI : Speaker.CANDIDATE, null, sb, t));
            platform.openai.emit(call.callId(), ai ? new RealtimeEvent.OutputTranscriptDone(item, "turn " + i, sb, t)
                    : new RealtimeEvent.InputTranscriptionCompleted(item, "turn " + i, sb, t));
            previous = item;
        }
    }

    private List<TranscriptEntry> transcript(SessionId session) {
        return platform.repositories.transcripts().read(InMemoryInterviewPlatform.inspector(), ACME, session);
    }
}
