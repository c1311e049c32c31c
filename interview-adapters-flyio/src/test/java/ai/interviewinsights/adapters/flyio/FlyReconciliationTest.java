package ai.interviewinsights.adapters.flyio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.port.in.ReconcileRunnersUseCase.ReconcileReport;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.port.in.StartedInterview;
import ai.interviewinsights.domain.port.out.IdGenerator;
import ai.interviewinsights.domain.service.InterviewPolicies;
import ai.interviewinsights.domain.service.InterviewPorts;
import ai.interviewinsights.domain.service.InterviewServices;
import ai.interviewinsights.domain.testing.FakeEvaluationGenerator;
import ai.interviewinsights.domain.testing.FakeRealtimeGateway;
import ai.interviewinsights.domain.testing.FakeSessionTokens;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryRepositories;
import ai.interviewinsights.domain.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The domain's reconciler over this adapter: the control plane's use cases on in-memory repositories, runners on a
 * stateful fake of Fly. A listing that mixes live, finished and unknown sessions must lose exactly the machines no
 * live session needs, once they are past the grace period.
 */
class FlyReconciliationTest {

    private static final TenantId ACME = Fixtures.ACME;
    private static final String APP = "interviews-" + ACME;

    @StartStop
    private final MockWebServer server = new MockWebServer();
    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final FakeFlyServer fly = new FakeFlyServer(clock, FlyTestSupport.AUTHORIZATION, FlyTestSupport.ORG);
    private final InMemoryRepositories repositories = InMemoryRepositories.create();
    private InterviewServices services;
    private Principal admin;
    private Position position;
    private Candidate candidate;

    /** Distinct, repeatable UUIDs whose first 8 hex digits differ, as runner names need (see the report). */
    private static final class HashedIds implements IdGenerator {
        private final AtomicLong next = new AtomicLong();

        @Override
        public UUID newId() {
            return UUID.nameUUIDFromBytes(("id-" + next.incrementAndGet()).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String newToken() {
            return "tok_" + next.incrementAndGet();
        }
    }

    @BeforeEach
    void setUp() {
        server.setDispatcher(fly);
        FlyMachinesProvisioner runners = FlyTestSupport.provisioner(FlyTestSupport.config(server).build(), clock);
        InterviewPorts ports = new InterviewPorts(repositories.tenants(), repositories.positions(),
                repositories.candidates(), repositories.sessions(), repositories.transcripts(),
                repositories.invites(), repositories.evaluations(), repositories.audit(),
                new ai.interviewinsights.domain.testing.InMemoryConsents(),
                new FakeRealtimeGateway(clock), runners, Optional.empty(), new FakeEvaluationGenerator(),
                new FakeSessionTokens(clock), new HashedIds(), clock);
        services = InterviewServices.create(ports, InterviewPolicies.defaults());
        services.registerTenant().register(ACME, "Acme Corp");
        admin = Fixtures.admin(ACME);
        position = services.positions().create(admin, "Backend Engineer", "Builds the platform.",
                List.of(new Competency("System design", "Designs for failure", 3)));
        candidate = services.candidates().create(admin, "Ada Lovelace", "ada@example.com");
    }

    private StartedInterview start() {
        return services.startInterview().start(new StartInterview(admin, candidate.id(), position.id(), null));
    }

    private static List<String> values(List<RunnerId> ids) {
        return ids.stream().map(RunnerId::value).toList();
    }

    private static String runnerOf(StartedInterview started) {
        return started.session().runner().orElseThrow().runnerId().value();
    }

    private static Map<String, String> tags(SessionId session) {
        return Map.of("tenant_id", ACME.toString(), "session_id", session.toString(), "architecture", "hybrid",
                "managed_by", "interview-insights");
    }

    @Test
    void reconciliation_destroys_exactly_the_machines_of_finished_unknown_and_untagged_sessions() {
        // Live: an interview that is still on.
        String live = runnerOf(start());
        // Finished: cancelled while Fly refused the destroy, so its machine outlived the session.
        StartedInterview cancelled = start();
        String finished = runnerOf(cancelled);
        fly.refuseDeletesOf(finished, true);
        services.cancelInterview().cancel(admin, cancelled.session().id());
        fly.refuseDeletesOf(finished, false);
        // Finished cleanly: its machine went with it and must not be touched again.
        StartedInterview ended = start();
        services.cancelInterview().cancel(admin, ended.session().id());
        // Unknown session, untagged machine, one already on its way out.
        Instant earlier = clock.instant().minus(Duration.ofHours(1));
        String unknown = fly.seedMachine(APP, "interview-hybrid-" + ACME + "-0badf00d", "started",
                tags(new SessionId(UUID.randomUUID())), earlier);
        String untagged = fly.seedMachine(APP, "debug-shell", "stopped", null, earlier);
        fly.seedMachine(APP, "interview-hybrid-" + ACME + "-0dead000", "destroying",
                tags(new SessionId(UUID.randomUUID())), earlier);
        // Apps that are not ours to reconcile.
        fly.seedApp("control-plane", FlyTestSupport.ORG);
        String controlPlane = fly.seedMachine("control-plane", "web", "started", null, earlier);
        fly.seedApp("interviews-" + Fixtures.GLOBEX, "another-org");
        fly.seedMachine("interviews-" + Fixtures.GLOBEX, "theirs", "started", null, earlier);

        clock.advance(Duration.ofMinutes(10));
        String young = fly.seedMachine(APP, "interview-hybrid-" + ACME + "-0c0ffee0", "started",
                tags(new SessionId(UUID.randomUUID())), clock.instant().minusSeconds(30));
        int callsBefore = fly.destroyCalls().size();

        ReconcileReport report = services.reconcileRunners().reconcile();

        Set<String> destroyedNow = new HashSet<>(fly.destroyCalls().subList(callsBefore, fly.destroyCalls().size()));
        assertEquals(Set.of(finished, unknown, untagged), destroyedNow);
        // The one still running was stopped with SIGTERM and a grace first (its runner says its goodbye); the
        // stopped one was not.
        assertTrue(fly.stopCalls().contains(unknown + " SIGTERM 5s"), fly.stopCalls().toString());
        assertTrue(fly.stopCalls().stream().noneMatch(call -> call.startsWith(untagged + " ")),
                fly.stopCalls().toString());
        assertEquals(Set.of(finished, unknown, untagged), new HashSet<>(values(report.destroyed())));
        assertEquals(Set.of(live, young), new HashSet<>(values(report.kept())));
        assertEquals("started", fly.machine(live).state);
        assertEquals("started", fly.machine(controlPlane).state);
        assertEquals(SessionStatus.CANCELLED, repositories.sessions()
                .find(ai.interviewinsights.domain.model.identity.AccessScope.system("test"),
                        cancelled.session().id()).orElseThrow().status());
    }

    @Test
    void a_second_reconciliation_finds_nothing_more_to_do() {
        String live = runnerOf(start());
        fly.seedMachine(APP, "debug-shell", "started", null, clock.instant().minus(Duration.ofHours(1)));
        services.reconcileRunners().reconcile();
        int callsBefore = fly.destroyCalls().size();

        ReconcileReport again = services.reconcileRunners().reconcile();

        assertEquals(List.of(), values(again.destroyed()));
        assertEquals(List.of(live), values(again.kept()));
        assertEquals(callsBefore, fly.destroyCalls().size());
    }
}
