package ai.interviewinsights.app.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.Main;
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
import ai.interviewinsights.domain.testing.FakeRunnerProvisioner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local warm pool with real runner processes (this application's runner mode, from the test class path): a
 * standby holds no session or tenant data, a claim binds it to one session whose runner then serves that session
 * only, a bound runner refuses a second binding, many concurrent claims take each standby once, the pool refills,
 * a change of sizes drains it and closing it leaves no process behind. Cold starts behind the pool are the domain's
 * fake provisioner here (the cold path itself is tested by LocalRunnerStartsTest and the end-to-end tests).
 */
class StandbyRunnerPoolTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path folder;

    private StandbyRunnerPool pool;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> claims = new CopyOnWriteArrayList<>();
    private final List<String> refills = new CopyOnWriteArrayList<>();
    private final RunnerPoolMetrics metrics = new RunnerPoolMetrics() {
        @Override
        public void claimed(Architecture architecture, boolean hit, Duration took) {
            claims.add(architecture.wireName() + ":" + (hit ? "hit" : "miss"));
        }

        @Override
        public void refilled(Architecture architecture, String outcome) {
            refills.add(architecture.wireName() + ":" + outcome);
        }
    };

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    /** The cold provisioner behind the pool: the domain's fake. */
    private final FakeRunnerProvisioner cold = new FakeRunnerProvisioner(Clock.systemUTC());

    private StandbyRunnerPool pool(StandbyPoolSizes sizes) {
        return pool(sizes, Map.of("LOG_FORMAT", "text"));
    }

    private StandbyRunnerPool pool(StandbyPoolSizes sizes, Map<String, String> runnerEnv) {
        RunnerJvm jvm = RunnerJvm.forThisApplication(Main.class.getName(),
                List.of(StandbyRunnerPool.ownerFlag(folder)), null);
        pool = new StandbyRunnerPool(cold, jvm, folder.resolve("logs"),
                runnerEnv, () -> URI.create("http://127.0.0.1:9"), Clock.systemUTC(),
                Duration.ofSeconds(60), lost -> { }, metrics, sizes);
        return pool;
    }

    private static StandbyPoolSizes hybrid(int size) {
        return new StandbyPoolSizes(Map.of(Architecture.HYBRID, size), Map.of());
    }

    private static RunnerSpec spec(TenantId tenant) {
        return new RunnerSpec(new SessionId(UUID.randomUUID()), tenant, new CandidateId(UUID.randomUUID()),
                new PositionId(UUID.randomUUID()), Architecture.HYBRID, Secret.of("runner-token-" + UUID.randomUUID()),
                Secret.of("client-key-" + UUID.randomUUID()), Duration.ofMinutes(30));
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + PATIENCE.toSeconds() + " s: " + what);
            }
            Thread.sleep(50);
        }
    }

    /** A process's environment, as the kernel holds it (what anyone with the process's uid could read). */
    private static Map<String, String> environmentOf(long pid) throws Exception {
        byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
        Map<String, String> env = new java.util.HashMap<>();
        for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
            int at = entry.indexOf('=');
            if (at > 0) {
                env.put(entry.substring(0, at), entry.substring(at + 1));
            }
        }
        return env;
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int portOf(RunnerRef ref) {
        return ref.endpoint().getPort();
    }

    /** Exited, not yet reaped (its new parent, whoever that is here, may be slow to). */
    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException gone) {
            return true;
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** An architecture the pool holds none of: its starts are cold, and counted as misses all the same. */
    @Test
    void a_start_the_pool_holds_no_standby_for_is_a_cold_start_counted_as_a_miss() {
        StandbyRunnerPool pool = pool(hybrid(0));
        RunnerSpec spec = spec(new TenantId(UUID.randomUUID()));
        pool.provision(spec);
        assertEquals(List.of("hybrid:miss"), claims);
        assertEquals(1, cold.listLive().size(), "started by the cold provisioner");
    }

    @Test
    void a_standby_holds_nothing_until_a_claim_binds_it_to_one_session_and_it_refuses_a_second_binding()
            throws Exception {
        StandbyRunnerPool runners = pool(hybrid(1));
        eventually("a standby is ready", () -> runners.standbyPids(Architecture.HYBRID).size() == 1);
        long pid = runners.standbyPids(Architecture.HYBRID).get(0);
        Map<String, String> standbyEnv = environmentOf(pid);
        for (String sessionVariable : List.of("SESSION_ID", "TENANT_ID", "CANDIDATE_ID", "POSITION_ID",
                "RUNNER_TOKEN", "CLIENT_TOKEN_KEY")) {
            assertFalse(standbyEnv.containsKey(sessionVariable), "a standby is started without " + sessionVariable);
        }
        assertFalse(standbyEnv.containsKey("DATABASE_URL"), "nor any of the control plane's own variables");
        assertEquals("hybrid", standbyEnv.get(StandbyLaunch.ARCHITECTURE), "it knows its architecture");

        // Read while it is the only standby: once claimed, the pool refills, and a fresh standby would answer too.
        int standbyPort = standbyPortOf(pid);
        assertTrue(standbyPort > 0);

        TenantId tenant = new TenantId(UUID.randomUUID());
        RunnerSpec spec = spec(tenant);
        RunnerRef ref = runners.provision(spec);
        assertEquals(Long.toString(pid), ref.runnerId().value(), "the standby was claimed, not a cold start");
        assertEquals(List.of("hybrid:hit"), claims);
        assertEquals(standbyPort, portOf(ref), "the binding came over the runner's own server: one server");
        HttpResponse<String> health = get(portOf(ref), "/health");
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains(spec.session().toString()), "the bound runner serves the session: "
                + health.body());
        assertEquals(ref, runners.provision(spec), "a retried start of the same session gets the same runner");
        assertTrue(runners.isAlive(tenant, ref.runnerId()));
        assertFalse(runners.isAlive(new TenantId(UUID.randomUUID()), ref.runnerId()), "not another tenant's");
        assertTrue(runners.listLive().stream().anyMatch(r -> r.runnerId().equals(ref.runnerId())
                && spec.session().equals(r.session())), "listed with its session for the reconciler");
        // A claimed standby is this instance's process: it renews its lease, and another instance's runners are
        // not its to judge (ADR 0018): they are found through their leases.
        assertTrue(runners.runningHere().stream().anyMatch(r -> r.runnerId().equals(ref.runnerId())
                && spec.session().equals(r.session())), "its lease is renewed here: " + runners.runningHere());
        assertFalse(runners.seesEveryRunner(), "a local process is not seen from another instance");

        // The binding, on the runner's own server: a wrong key is refused (401, which says nothing of the runner's
        // state); the right key, now that it is bound, is refused too (409).
        String key = standbyEnv.get(StandbyLaunch.STANDBY_KEY);
        for (Map.Entry<String, Integer> presented : List.of(Map.entry("wrong-key", 401), Map.entry(key, 409))) {
            HttpResponse<String> again = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + standbyPort + StandbyLaunch.BIND_PATH))
                    .header("Authorization", "Bearer " + presented.getKey())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"SESSION_ID\":\"" + UUID.randomUUID()
                            + "\",\"TENANT_ID\":\"" + UUID.randomUUID() + "\",\"RUNNER_TOKEN\":\"x\","
                            + "\"CLIENT_TOKEN_KEY\":\"y\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals((int) presented.getValue(), again.statusCode(), again.body());
        }
        assertTrue(get(portOf(ref), "/health").body().contains(spec.session().toString()),
                "still the first session's runner");

        // The standby key and the session's secrets went over loopback; none of them is in any runner's output.
        try (var files = Files.list(folder.resolve("logs"))) {
            for (Path file : files.toList()) {
                String output = Files.readString(file);
                for (String secret : List.of(key, spec.runnerToken().reveal(), spec.clientTokenKey().reveal())) {
                    assertFalse(output.contains(secret), "a secret in " + file.getFileName());
                }
            }
        }
        assertFalse(runners.toString().contains(key));

        runners.destroy(tenant, ref.runnerId());
        eventually("the destroyed runner's process is gone", () -> !alive(pid));
        assertFalse(runners.isAlive(tenant, ref.runnerId()));
    }

    /**
     * A standby at rest keeps a runner's threads and no more (issue 16, goal 3: an idle runner at most twelve, and the
     * pool is on by default): one server, which takes the binding too; the rehearsal's client closed after it; its
     * parent watched on the runner's timer. It held 24-25 threads 300 ms after READY ({@code bash scripts/benchmark
     * --pool}), and a minute later still more than twelve of its own: a second server for the binding (its threads
     * and Jetty's scheduler), the JDK's process reaper polling for its parent's exit, and until collected the JDK's
     * HTTP client from its rehearsal (a selector and its workers).
     */
    @Test
    void an_idle_standby_keeps_a_runners_threads_and_no_more() throws Exception {
        try (mockwebserver3.MockWebServer openai = openAiWithoutAnApi()) {
            StandbyRunnerPool runners = pool(hybrid(1), Map.of("LOG_FORMAT", "text", "OPENAI_API_KEY",
                    "sk-standby-threads-" + UUID.randomUUID(), "OPENAI_BASE_URL", "http://127.0.0.1:" + openai.getPort()));
            eventually("a standby is ready", () -> runners.standbyPids(Architecture.HYBRID).size() == 1);
            long pid = runners.standbyPids(Architecture.HYBRID).get(0);
            // What its start ran (the rehearsal's socket, the pool's first requests) ends by itself: read at rest.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Map<String, Integer> threads = RunnerIdleThreadsTest.threads(pid);
            while (!atRest(threads) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                threads = RunnerIdleThreadsTest.threads(pid);
            }
            RunnerIdleThreadsTest.assertAtRest(threads);
            assertTrue(alive(pid), "still the standby, unclaimed");
        }
    }

    /**
     * Nobody but the control plane that started a standby can claim it: once that process is gone, the standby exits
     * (it watches its parent on the runner's timer, no thread of its own). Here its parent is killed after READY, as
     * a control plane that crashes.
     */
    @Test
    void a_standby_exits_once_the_control_plane_that_started_it_is_gone() throws Exception {
        Path output = folder.resolve("standby.log");
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c",
                "\"$@\" > \"$STANDBY_OUTPUT\" 2>&1 & echo $!; exec sleep 600", "sh"));
        command.addAll(RunnerJvm.forThisApplication(Main.class.getName(), List.of(), null).next().command());
        ProcessBuilder builder = new ProcessBuilder(command);
        // Only what a standby is launched with (as RunnerProcesses does): no OpenAI key of the developer's.
        builder.environment().keySet().retainAll(Set.of("PATH", "HOME", "JAVA_HOME", "LANG"));
        builder.environment().putAll(Map.of("INTERVIEW_MODE", "runner", "HOST", "127.0.0.1", "PORT", "0",
                "LOG_FORMAT", "text", "CONTROL_PLANE_URL", "http://127.0.0.1:9", StandbyLaunch.STANDBY_KEY,
                "standby-key-" + UUID.randomUUID(), StandbyLaunch.ARCHITECTURE, "hybrid",
                "STANDBY_OUTPUT", output.toString()));
        Process parent = builder.start();
        long pid = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(parent.getInputStream(),
                StandardCharsets.UTF_8)).readLine().strip());
        try {
            eventually("the standby is ready", () -> {
                try {
                    return Files.exists(output)
                            && Files.readString(output).contains(LocalProcessRunnerProvisioner.READY_LINE);
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            assertTrue(alive(pid), "a standby waits while its control plane is there");
            parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: gone without a word
            eventually("the standby exits after its control plane", () -> !alive(pid) || zombie(pid));
        } finally {
            parent.destroyForcibly();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static boolean atRest(Map<String, Integer> threads) {
        try {
            RunnerIdleThreadsTest.assertAtRest(threads);
            return true;
        } catch (AssertionError notYet) {
            return false;
        }
    }

    /** OpenAI's stand-in for a standby's warm-up: it answers every request 404 (the warm-up's probe needs no more). */
    private static mockwebserver3.MockWebServer openAiWithoutAnApi() throws java.io.IOException {
        mockwebserver3.MockWebServer openai = new mockwebserver3.MockWebServer();
        openai.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public mockwebserver3.MockResponse dispatch(mockwebserver3.RecordedRequest request) {
                return new mockwebserver3.MockResponse.Builder().code(404)
                        .body("{\"error\":{\"message\":\"not here\"}}").build();
            }
        });
        openai.start();
        return openai;
    }

    /** The port the (only) standby listens on, from its output file (the same line the pool read). */
    private int standbyPortOf(long pid) throws Exception {
        // Ask the kernel which loopback ports this process listens on is not portable; the pool's log holds it.
        try (var files = Files.list(folder.resolve("logs"))) {
            for (Path file : files.toList()) {
                for (String line : Files.readAllLines(file)) {
                    int at = line.indexOf(LocalProcessRunnerProvisioner.READY_LINE);
                    if (at >= 0) {
                        int port = Integer.parseInt(line.substring(at + LocalProcessRunnerProvisioner.READY_LINE
                                .length()).strip());
                        if (answersAsStandby(port)) {
                            return port;
                        }
                    }
                }
            }
        }
        return -1;
    }

    private boolean answersAsStandby(int port) {
        try {
            return get(port, "/health").body().contains("standby");
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * A claim finds the relay path as warm as a cold runner's: before a standby reports ready it has run a cold
     * runner's warm-up, whose last step opens the gateway's connection to OpenAI (a keyless request). Without it a
     * claimed standby's first offer ran the relay's code for the first time (218 ms p50 against a cold runner's 35 ms
     * in {@code bash scripts/benchmark --pool}).
     */
    @Test
    void a_standby_has_warmed_its_relay_path_before_it_reports_ready() throws Exception {
        try (mockwebserver3.MockWebServer openai = openAiWithoutAnApi()) {
            String key = "sk-standby-warm-up-" + UUID.randomUUID();
            StandbyRunnerPool runners = pool(hybrid(1), Map.of("LOG_FORMAT", "text", "OPENAI_API_KEY", key,
                    "OPENAI_BASE_URL", "http://127.0.0.1:" + openai.getPort()));
            eventually("a standby is ready", () -> runners.standbyPids(Architecture.HYBRID).size() == 1);
            assertTrue(openai.getRequestCount() >= 1, "the gateway's connection was opened before READY");
            mockwebserver3.RecordedRequest probe = openai.takeRequest();
            assertEquals("GET", probe.getMethod());
            assertEquals(null, probe.getHeaders().get("Authorization"), "the probe carries no key");
            try (var files = Files.list(folder.resolve("logs"))) {
                for (Path file : files.toList()) {
                    assertFalse(Files.readString(file).contains(key), "the key in " + file.getFileName());
                }
            }
        }
    }

    @Test
    void many_concurrent_claims_take_each_standby_exactly_once_and_the_pool_refills() throws Exception {
        StandbyRunnerPool runners = pool(hybrid(3));
        eventually("three standbys are ready", () -> runners.standbyPids(Architecture.HYBRID).size() == 3);
        Set<Long> standbys = new HashSet<>(runners.standbyPids(Architecture.HYBRID));

        int claimants = 12;
        ExecutorService threads = Executors.newFixedThreadPool(claimants);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<RunnerRef>> starts = new ArrayList<>();
        TenantId tenant = new TenantId(UUID.randomUUID());
        for (int i = 0; i < claimants; i++) {
            RunnerSpec spec = spec(i % 2 == 0 ? tenant : new TenantId(UUID.randomUUID()));
            starts.add(threads.submit(() -> {
                go.await();
                return runners.provision(spec);
            }));
        }
        go.countDown();
        List<String> ids = new ArrayList<>();
        for (Future<RunnerRef> start : starts) {
            ids.add(start.get().runnerId().value());
        }
        threads.shutdown();
        assertEquals(claimants, new HashSet<>(ids).size(), "every session got a runner of its own: " + ids);
        List<Long> pooled = ids.stream().filter(id -> id.chars().allMatch(Character::isDigit)).map(Long::parseLong)
                .filter(standbys::contains).toList();
        assertEquals(3, pooled.size(), "each of the three standbys served exactly one session: " + ids);
        assertEquals(3, claims.stream().filter(c -> c.endsWith("hit")).count(), claims.toString());
        assertEquals(claimants - 3, claims.stream().filter(c -> c.endsWith("miss")).count(), claims.toString());
        assertEquals(Set.copyOf(pooled), Set.copyOf(runners.claimedPids()));

        eventually("the pool refilled to three", () -> runners.standbyPids(Architecture.HYBRID).size() == 3);
        for (Long fresh : runners.standbyPids(Architecture.HYBRID)) {
            assertFalse(standbys.contains(fresh), "a claimed runner never returns to the pool");
        }
        assertEquals(0, runners.standbyPids(Architecture.PROXY).size(), "the proxy pool is off");
    }

    @Test
    void a_retry_for_a_session_started_cold_gets_its_runner_back_and_leaves_the_standby_alone() throws Exception {
        StandbyRunnerPool runners = pool(hybrid(0));
        RunnerSpec spec = spec(new TenantId(UUID.randomUUID()));
        RunnerRef first = runners.provision(spec); // no standby: started cold
        runners.reconfigure(hybrid(1));
        eventually("a standby is ready", () -> runners.standbyPids(Architecture.HYBRID).size() == 1);
        List<Long> standby = runners.standbyPids(Architecture.HYBRID);

        RunnerRef retried = runners.provision(spec); // a retry of the same session's start (the port's idempotence)

        assertEquals(first.runnerId(), retried.runnerId(), "the retry got the session's cold runner back");
        assertEquals(standby, runners.standbyPids(Architecture.HYBRID), "the standby was not claimed");
        assertEquals(List.of(), runners.claimedPids());
        assertEquals(1, runners.listLive().stream().filter(r -> r.session().equals(spec.session())).count(),
                "one runner for the session");
        assertFalse(claims.stream().anyMatch(c -> c.endsWith("hit")), claims.toString());

        // A cold runner that ended on its own (not through the pool) is forgotten at the next cold start.
        RunnerSpec other = spec(new TenantId(UUID.randomUUID()));
        runners.reconfigure(hybrid(0));
        RunnerRef otherRef = runners.provision(other);
        assertEquals(2, runners.rememberedColdStarts());
        cold.destroy(other.tenant(), otherRef.runnerId()); // its interview over: the pool is not told
        runners.provision(spec(new TenantId(UUID.randomUUID())));
        assertEquals(2, runners.rememberedColdStarts(), "the ended one forgotten, the new one remembered");
        runners.reconfigure(hybrid(1));
        eventually("a standby is ready again", () -> runners.standbyPids(Architecture.HYBRID).size() == 1);
        standby = runners.standbyPids(Architecture.HYBRID);

        // Once that runner is gone, the session's next start is a new runner: here, the standby.
        runners.destroy(spec.tenant(), first.runnerId());
        RunnerRef replacement = runners.provision(spec);
        assertNotEquals(first.runnerId(), replacement.runnerId());
        assertEquals(standby.get(0).toString(), replacement.runnerId().value(), "the standby serves the session now");
    }

    @Test
    void new_sizes_drain_the_standbys_and_closing_leaves_no_process() throws Exception {
        StandbyRunnerPool runners = pool(hybrid(1));
        eventually("a standby is ready", () -> runners.standbyPids(Architecture.HYBRID).size() == 1);
        long first = runners.standbyPids(Architecture.HYBRID).get(0);
        RunnerRef claimed = runners.provision(spec(new TenantId(UUID.randomUUID())));
        long claimedPid = Long.parseLong(claimed.runnerId().value());
        eventually("refilled", () -> runners.standbyPids(Architecture.HYBRID).size() == 1);
        long before = runners.standbyPids(Architecture.HYBRID).get(0);
        assertNotEquals(first, before);

        runners.reconfigure(new StandbyPoolSizes(Map.of(Architecture.HYBRID, 1, Architecture.PROXY, 1), Map.of()));
        eventually("the standby of the old configuration is gone", () -> !alive(before));
        assertTrue(refills.contains("hybrid:drained"), refills.toString());
        eventually("both pools refilled", () -> runners.standbyPids(Architecture.HYBRID).size() == 1
                && runners.standbyPids(Architecture.PROXY).size() == 1);
        assertTrue(alive(claimedPid), "a claimed runner serves its session through a change of sizes");
        long proxy = runners.standbyPids(Architecture.PROXY).get(0);
        assertEquals("proxy", environmentOf(proxy).get(StandbyLaunch.ARCHITECTURE));

        List<Long> all = new ArrayList<>(runners.standbyPids(Architecture.HYBRID));
        all.add(proxy);
        all.add(claimedPid);
        runners.close();
        for (long pid : all) {
            assertFalse(alive(pid), "no process outlives the pool: " + pid + " of " + Arrays.toString(all.toArray()));
        }
    }
}
