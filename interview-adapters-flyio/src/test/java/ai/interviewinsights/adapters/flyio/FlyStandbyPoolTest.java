package ai.interviewinsights.adapters.flyio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.interview.Architecture;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.runner.RunnerSpec;
import ai.interviewinsights.domain.model.runner.StandbyPoolSizes;
import ai.interviewinsights.domain.port.out.RunnerPoolMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Standby machines against the stateful fake of Fly's Machines API (real HTTP, Fly's JSON shapes, leases, 429 with
 * {@code Retry-After}): the pools fill within 1 create/s per app (bursts of 3) and converge through throttling; a
 * standby holds no session's variables; claims go to distinct standbys, even from two control planes at once, and
 * never wait for refills; the reconciler never sees a standby; a change of size or image drains them.
 */
class FlyStandbyPoolTest {

    private static final TenantId TENANT = FlyTestSupport.TENANT;
    private static final String APP = FlyTestSupport.APP;

    @StartStop
    private final MockWebServer server = new MockWebServer();
    private final FakeFlyServer fly = new FakeFlyServer(Clock.systemUTC(), FlyTestSupport.AUTHORIZATION,
            FlyTestSupport.ORG);
    private final List<String> claims = new CopyOnWriteArrayList<>();
    private final List<String> refills = new CopyOnWriteArrayList<>();
    private final List<FlyStandbyPool> pools = new ArrayList<>();
    private final RunnerPoolMetrics metrics = new RunnerPoolMetrics() {
        @Override
        public void claimed(Architecture architecture, boolean hit, Duration took) {
            claims.add(hit ? "hit" : "miss");
        }

        @Override
        public void refilled(Architecture architecture, String outcome) {
            refills.add(outcome);
        }
    };

    @BeforeEach
    void fake() {
        server.setDispatcher(fly);
        fly.seedApp(APP, FlyTestSupport.ORG);
    }

    @AfterEach
    void close() {
        pools.forEach(FlyStandbyPool::close);
    }

    private FlyStandbyPool pool(int size, String image) {
        FlyConfig config = image == null ? FlyTestSupport.config(server).build()
                : FlyConfig.builder(Secret.of(FlyTestSupport.TOKEN), FlyTestSupport.ORG, image,
                        FlyTestSupport.CONTROL_PLANE).baseUrl(server.url("/").uri()).regions("ams", "fra")
                        .retry(new FlyConfig.Retry(3, Duration.ofMillis(1), Duration.ofMillis(5),
                                Duration.ofSeconds(2))).build();
        FlyStandbyPool pool = FlyRunners.pooled(config, Clock.systemUTC(), new OkHttpClient(), () -> 0.5,
                new StandbyPoolSizes(Map.of(), Map.of(TENANT, Map.of(Architecture.HYBRID, size))), metrics,
                FlyRateLimit.machinesApi());
        pools.add(pool);
        return pool;
    }

    private static RunnerSpec spec() {
        return new RunnerSpec(new SessionId(UUID.randomUUID()), TENANT, new CandidateId(UUID.randomUUID()),
                new PositionId(UUID.randomUUID()), Architecture.HYBRID, Secret.of("runner-" + UUID.randomUUID()),
                Secret.of("client-" + UUID.randomUUID()), Duration.ofMinutes(30));
    }

    private static void eventually(String what, Duration patience, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + patience.toSeconds() + " s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private List<FakeFlyServer.FakeMachine> standbysAtFly() {
        return fly.liveMachines().stream()
                .filter(m -> "standby".equals(m.config.path("metadata").path("pool").asText(null))).toList();
    }

    @Test
    void the_pool_fills_within_the_rate_limit_and_converges_through_429s_honouring_retry_after() throws Exception {
        fly.throttleCreates(4, 1); // three answered inside FlyHttp's own retries, one more reaches the pool
        FlyStandbyPool pool = pool(6, null);
        eventually("six standbys", Duration.ofSeconds(60), () -> pool.standbys(TENANT, Architecture.HYBRID).size() == 6);

        List<FakeFlyServer.FakeMachine> standbys = standbysAtFly();
        assertEquals(6, standbys.size(), "exactly the pool's size exists at Fly");
        for (FakeFlyServer.FakeMachine machine : standbys) {
            assertEquals("created", machine.state, "created with skip_launch, never started");
            assertEquals(0, machine.config.path("env").size(), "a standby holds no session's variables: "
                    + machine.config.path("env"));
            assertNull(machine.config.path("metadata").path("session_id").asText(null), "nor a session's tag");
            assertEquals(TENANT.toString(), machine.config.path("metadata").path("tenant_id").asText());
            assertEquals("hybrid", machine.config.path("metadata").path("architecture").asText());
        }
        assertTrue(refills.contains("throttled"), "the pool itself met a 429: " + refills);

        // Every create request (accepted or throttled), in order of arrival.
        List<Instant> all = new ArrayList<>(fly.createTimes());
        all.addAll(fly.throttledTimes());
        all.sort(null);
        for (Instant throttled : fly.throttledTimes()) {
            Instant next = all.stream().filter(t -> t.isAfter(throttled)).findFirst().orElseThrow();
            assertTrue(Duration.between(throttled, next).toMillis() >= 900, "after a 429 with Retry-After: 1, the "
                    + "next create waited " + Duration.between(throttled, next).toMillis() + " ms");
        }
        for (Instant start : all) {
            long inOneSecond = all.stream().filter(t -> !t.isBefore(start) && t.isBefore(start.plusSeconds(1)))
                    .count();
            assertTrue(inOneSecond <= 4, "at most a burst of 3 plus 1/s in any second, was " + inOneSecond);
        }
        assertTrue(pool.listLive().isEmpty(), "a standby is not a session's runner: the reconciler never sees it");
    }

    /**
     * A tenant and architecture the pool holds none of: its starts are cold, and counted as misses all the same; a
     * start retried (its reply lost) finds the session's machine, which is no second start.
     */
    @Test
    void a_start_the_pool_holds_no_standby_for_is_a_cold_start_counted_once_as_a_miss() {
        FlyStandbyPool pool = pool(0, null);
        RunnerSpec spec = spec();
        RunnerRef ref = pool.provision(spec);
        assertEquals("started", fly.liveMachines().stream()
                .filter(m -> m.id.equals(ref.runnerId().value())).findFirst().orElseThrow().state);
        assertEquals(List.of("miss"), claims);
        assertEquals(ref.runnerId(), pool.provision(spec).runnerId(), "the retry finds the session's machine");
        assertEquals(List.of("miss"), claims, "finding it is no start");
        assertEquals(List.of(), refills, "nothing to refill");
    }

    /**
     * A session's claimed machine died (its runner crashed and the machine, auto-destroyed, went with it): the
     * candidate's rejoin asks for the session's runner again, and gets a machine that runs. The pool answered with the
     * dead one it remembered claiming, on every rejoin until the control plane restarted.
     */
    @Test
    void a_session_whose_claimed_machine_died_is_given_a_machine_that_runs() throws Exception {
        FlyStandbyPool pool = pool(1, null);
        eventually("a standby", Duration.ofSeconds(30), () -> pool.standbys(TENANT, Architecture.HYBRID).size() == 1);
        RunnerSpec spec = spec();
        RunnerRef claimed = pool.provision(spec);
        assertEquals(List.of("hit"), claims);
        assertEquals(claimed, pool.provision(spec), "a retried start while it runs: the same machine");

        synchronized (fly) {
            fly.machine(claimed.runnerId().value()).state = "destroyed"; // crashed, and auto-destroyed
        }
        assertFalse(pool.isAlive(TENANT, claimed.runnerId()));
        RunnerRef again = pool.provision(spec);
        assertNotEquals(claimed.runnerId(), again.runnerId(), "not the dead machine");
        assertEquals("started", fly.machine(again.runnerId().value()).state);
        assertTrue(pool.isAlive(TENANT, again.runnerId()));
    }

    @Test
    void a_cohort_claims_distinct_standbys_without_waiting_for_refills() throws Exception {
        FlyStandbyPool pool = pool(3, null);
        eventually("three standbys", Duration.ofSeconds(30), () -> pool.standbys(TENANT, Architecture.HYBRID).size() == 3);
        Set<String> standbys = new HashSet<>(pool.standbys(TENANT, Architecture.HYBRID));
        // From now on Fly refuses creates for 30 s: refills are stuck, claims must not be.
        fly.throttleCreates(1_000, 30);
        fly.clearCalls();

        ExecutorService threads = Executors.newFixedThreadPool(3);
        CountDownLatch go = new CountDownLatch(1);
        List<RunnerSpec> specs = List.of(spec(), spec(), spec());
        List<Future<RunnerRef>> started = new ArrayList<>();
        for (RunnerSpec spec : specs) {
            started.add(threads.submit(() -> {
                go.await();
                return pool.provision(spec);
            }));
        }
        long t0 = System.nanoTime();
        go.countDown();
        Set<String> ids = new HashSet<>();
        for (Future<RunnerRef> ref : started) {
            ids.add(ref.get().runnerId().value());
        }
        threads.shutdown();
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 20, "the claims did not wait 30 s for "
                + "the throttled refills");
        assertEquals(standbys, ids, "each session got one of the standbys, each a different one");
        assertEquals(List.of("hit", "hit", "hit"), claims);
        for (RunnerSpec spec : specs) {
            FakeFlyServer.FakeMachine machine = fly.liveMachines().stream().filter(m -> spec.session().toString()
                    .equals(m.config.path("metadata").path("session_id").asText(null))).findFirst().orElseThrow();
            assertEquals("started", machine.state);
            assertEquals(spec.session().toString(), machine.config.path("env").path("SESSION_ID").asText(),
                    "the claimed machine got the session's launch variables");
            assertEquals("claimed", machine.config.path("metadata").path("pool").asText());
        }
        // Each claim: a lease, a look, the update (which starts it), a wait; no create among them.
        long leases = fly.calls().stream().filter(c -> c.startsWith("POST ") && c.endsWith("/lease")).count();
        long updates = fly.calls().stream().filter(c -> c.matches("POST /v1/apps/" + APP + "/machines/[0-9a-f]+"))
                .count();
        assertEquals(3, leases, fly.calls().toString());
        assertEquals(3, updates, fly.calls().toString());
        assertEquals(3, pool.listLive().size(), "claimed machines are sessions' runners now");
        eventually("the claims' leases are released", Duration.ofSeconds(10),
                () -> standbys.stream().noneMatch(fly::leased));
        assertEquals(pool.provision(specs.get(0)).runnerId().value(),
                pool.provision(specs.get(0)).runnerId().value(), "a retried start gets the same machine");
    }

    @Test
    void two_control_planes_never_claim_the_same_standby() throws Exception {
        FlyStandbyPool first = pool(3, null);
        eventually("three standbys", Duration.ofSeconds(30), () -> first.standbys(TENANT, Architecture.HYBRID).size() == 3);
        Set<String> standbys = new HashSet<>(first.standbys(TENANT, Architecture.HYBRID));
        FlyStandbyPool second = pool(3, null); // another instance on the same Fly: adopts the same standbys
        eventually("the second adopted them", Duration.ofSeconds(30),
                () -> new HashSet<>(second.standbys(TENANT, Architecture.HYBRID)).equals(standbys));

        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<RunnerRef>> started = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            FlyStandbyPool via = i % 2 == 0 ? first : second;
            RunnerSpec spec = spec();
            started.add(threads.submit(() -> {
                go.await();
                return via.provision(spec);
            }));
        }
        go.countDown();
        List<String> ids = new ArrayList<>();
        for (Future<RunnerRef> ref : started) {
            ids.add(ref.get().runnerId().value());
        }
        threads.shutdown();
        assertEquals(8, new HashSet<>(ids).size(), "eight sessions, eight machines: " + ids);
        for (String standby : standbys) {
            assertTrue(ids.stream().filter(standby::equals).count() <= 1, "standby " + standby + " claimed twice");
        }
        Set<String> sessions = new HashSet<>();
        fly.liveMachines().forEach(m -> {
            String session = m.config.path("metadata").path("session_id").asText(null);
            if (session != null) {
                assertTrue(sessions.add(session), "one machine per session");
            }
        });
        assertEquals(8, sessions.size());
    }

    @Test
    void a_lower_size_or_a_new_image_drains_the_standbys() throws Exception {
        FlyStandbyPool pool = pool(3, null);
        eventually("three standbys", Duration.ofSeconds(30), () -> standbysAtFly().size() == 3);
        pool.reconfigure(new StandbyPoolSizes(Map.of(), Map.of(TENANT, Map.of(Architecture.HYBRID, 1))));
        eventually("two destroyed", Duration.ofSeconds(30), () -> standbysAtFly().size() == 1);
        assertEquals(1, pool.standbys(TENANT, Architecture.HYBRID).size());
        pool.close();

        // The next deploy runs another runner image: the old standbys would start the old one.
        FlyStandbyPool next = pool(2, "registry.fly.io/interview-runner:next");
        eventually("old standby drained, two of the new image", Duration.ofSeconds(30),
                () -> standbysAtFly().size() == 2 && standbysAtFly().stream().allMatch(m -> m.config.path("image")
                        .asText().endsWith(":next")) && next.standbys(TENANT, Architecture.HYBRID).size() == 2);
        assertTrue(refills.contains("drained"), refills.toString());
    }
}
