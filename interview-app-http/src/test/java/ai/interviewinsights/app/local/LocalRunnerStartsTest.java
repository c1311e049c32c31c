package ai.interviewinsights.app.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.runner.RunnerSpec;
import ai.interviewinsights.domain.model.interview.Architecture;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local runner starts with real child processes (a shell script standing in for the runner JVM, printing the same
 * line): runners start in parallel, a second request for the same runner waits for the first start instead of
 * starting another process, another session's request for a name taken is refused (while that runner starts and
 * while it runs), and a runner's output file is tidied when it ends.
 */
class LocalRunnerStartsTest {

    @TempDir
    Path folder;

    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private LocalProcessRunnerProvisioner provisioner;

    @AfterEach
    void stop() {
        if (provisioner != null) {
            provisioner.close();
        }
        pool.shutdownNow();
    }

    /** Each "runner" says it listens only once {@code expected} runners have begun starting: a barrier. */
    private LocalProcessRunnerProvisioner provisioner(int expected) {
        return provisioner(expected, List.of());
    }

    /** The same, with {@code flags} after the script (they stand on the process's command line, as a JVM flag does). */
    private LocalProcessRunnerProvisioner provisioner(int expected, List<String> flags) {
        String script = "touch \"$MARKS/$SESSION_ID\"; "
                + "while [ \"$(ls \"$MARKS\" | wc -l)\" -lt " + expected + " ]; do sleep 0.05; done; "
                + "echo 'a log line before'; echo 'RUNNER_LISTENING port=40000'; "
                // With flags, the shell itself lives on (its command line keeps them, as a runner JVM's does).
                + (flags.isEmpty() ? "exec sleep 60" : "while :; do sleep 1; done");
        Path marks = folder.resolve("marks");
        try {
            Files.createDirectories(marks);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> command = new java.util.ArrayList<>(List.of("/bin/sh", "-c", script));
        command.addAll(flags);
        provisioner = new LocalProcessRunnerProvisioner(RunnerJvm.fixed(command),
                folder.resolve("logs"), Map.of("MARKS", marks.toString()), () -> URI.create("http://127.0.0.1:9"),
                Clock.systemUTC(), Duration.ofSeconds(20), lost -> { });
        return provisioner;
    }

    private static RunnerSpec spec(TenantId tenant) {
        return new RunnerSpec(new SessionId(UUID.randomUUID()), tenant, new CandidateId(UUID.randomUUID()),
                new PositionId(UUID.randomUUID()), Architecture.HYBRID, Secret.of("runner-token-" + UUID.randomUUID()),
                Secret.of("client-key-" + UUID.randomUUID()), Duration.ofMinutes(30));
    }

    @Test
    void runners_of_different_sessions_start_in_parallel() throws Exception {
        // Started one after the other, the first would wait forever for the second to begin: the start would time out.
        LocalProcessRunnerProvisioner runners = provisioner(2);
        TenantId tenant = new TenantId(UUID.randomUUID());
        Future<RunnerRef> a = pool.submit(() -> runners.provision(spec(tenant)));
        Future<RunnerRef> b = pool.submit(() -> runners.provision(spec(tenant)));
        RunnerRef first = a.get(60, TimeUnit.SECONDS);
        RunnerRef second = b.get(60, TimeUnit.SECONDS);
        assertFalse(first.runnerId().equals(second.runnerId()));
        assertEquals(2, runners.pids().size());
        assertEquals(URI.create("ws://127.0.0.1:40000/ws"), first.endpoint());
    }

    @Test
    void each_runner_started_is_reported_once_as_a_cold_start_and_a_start_that_finds_it_running_is_not()
            throws Exception {
        LocalProcessRunnerProvisioner runners = provisioner(1);
        List<String> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        runners.reportColdStartsTo(new ai.interviewinsights.domain.port.out.RunnerPoolMetrics() {
            @Override
            public void claimed(Architecture architecture, boolean hit, Duration took) {
                reported.add(architecture.wireName() + ":" + (hit ? "hit" : "miss") + ":" + (took.toNanos() > 0));
            }

            @Override
            public void refilled(Architecture architecture, String outcome) {
                reported.add("refilled");
            }
        });
        RunnerSpec spec = spec(new TenantId(UUID.randomUUID()));
        RunnerRef first = runners.provision(spec);
        assertEquals(List.of("hybrid:miss:true"), reported);
        assertEquals(first, runners.provision(spec), "the same session: the runner already running");
        assertEquals(List.of("hybrid:miss:true"), reported, "finding the runner running is no start");
        runners.provision(spec(new TenantId(UUID.randomUUID())));
        assertEquals(List.of("hybrid:miss:true", "hybrid:miss:true"), reported);
    }

    @Test
    void a_second_request_for_the_same_runner_waits_for_its_start_and_gets_the_same_process() throws Exception {
        LocalProcessRunnerProvisioner runners = provisioner(1);
        RunnerSpec spec = spec(new TenantId(UUID.randomUUID()));
        Future<RunnerRef> a = pool.submit(() -> runners.provision(spec));
        Future<RunnerRef> b = pool.submit(() -> runners.provision(spec));
        assertEquals(a.get(60, TimeUnit.SECONDS), b.get(60, TimeUnit.SECONDS));
        assertEquals(1, runners.pids().size(), "one process for one runner");
        assertEquals(1, Files.list(folder.resolve("marks")).count());
    }

    @Test
    void a_name_taken_by_another_session_is_refused_while_its_runner_starts_and_while_it_runs() throws Exception {
        LocalProcessRunnerProvisioner runners = provisioner(2); // the first start waits until a second mark exists
        RunnerSpec first = spec(new TenantId(UUID.randomUUID()));
        RunnerSpec clash = sameNameOtherSession(first);
        Future<RunnerRef> starting = startingUnderWay(runners, first);
        Path marks = folder.resolve("marks");
        DomainException whileStarting = assertThrows(DomainException.class, () -> runners.provision(clash));
        assertEquals("runner.name_collision", whileStarting.code());
        assertEquals(1, Files.list(marks).count(), "the refused request started no process");

        Files.createFile(marks.resolve("release")); // lets the first runner say it listens
        RunnerRef ref = starting.get(60, TimeUnit.SECONDS);
        DomainException whileRunning = assertThrows(DomainException.class, () -> runners.provision(clash));
        assertEquals("runner.name_collision", whileRunning.code());
        assertEquals(ref, runners.provision(first), "the owner's retry gets its runner");
        assertEquals(1, runners.pids().size());
    }

    /** Provisions {@code spec} on another thread and returns once its process has begun (its mark exists). */
    private Future<RunnerRef> startingUnderWay(LocalProcessRunnerProvisioner runners, RunnerSpec spec)
            throws InterruptedException {
        Future<RunnerRef> starting = pool.submit(() -> runners.provision(spec));
        Path mark = folder.resolve("marks").resolve(spec.session().toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(mark) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(mark), "the runner process began");
        return starting;
    }

    /** Another session of the same tenant whose short id, hence runner name, is the same. */
    private static RunnerSpec sameNameOtherSession(RunnerSpec spec) {
        UUID clash = new UUID((spec.session().value().getMostSignificantBits() & 0xFFFFFFFF00000000L) | 0x4abcL,
                0x8000000000000001L);
        RunnerSpec other = new RunnerSpec(new SessionId(clash), spec.tenant(), spec.candidate(), spec.position(),
                spec.architecture(), Secret.of("runner-token-2"), Secret.of("client-key-2"), spec.maxDuration());
        assertEquals(spec.name(), other.name());
        return other;
    }

    /**
     * The orphan sweep (at start-up, and each time the reconciler lists the live runners) destroys what an earlier
     * instance left behind, never a runner of ours still starting: one is in no book until it listens, hundreds of
     * milliseconds after its process exists, and it used to be taken for an orphan and killed mid-start.
     */
    @Test
    void the_orphan_sweep_destroys_an_earlier_instances_runner_but_never_one_of_ours_still_starting()
            throws Exception {
        String owner = LocalProcessRunnerProvisioner.ownerFlag(folder);
        LocalProcessRunnerProvisioner runners = provisioner(2, List.of(owner)); // waits for a second mark
        // A runner an earlier instance left behind: its parent is gone (a shell that exits at once, leaving its
        // subshell, with the same command line, to be adopted by the system), and it carries this owner's marker.
        Process parent = new ProcessBuilder("/bin/sh", "-c",
                "(while :; do sleep 1; done) >/dev/null 2>&1 & echo $!", owner).redirectErrorStream(true).start();
        long orphanPid = Long.parseLong(new String(parent.getInputStream().readAllBytes(),
                java.nio.charset.StandardCharsets.US_ASCII).strip());
        assertTrue(parent.waitFor(10, TimeUnit.SECONDS));
        ProcessHandle leftBehind = ProcessHandle.of(orphanPid).orElseThrow();
        try {
            RunnerSpec spec = spec(new TenantId(UUID.randomUUID()));
            Future<RunnerRef> starting = startingUnderWay(runners, spec);
            Path marks = folder.resolve("marks");

            assertEquals(1, runners.destroyOrphans(), "only the earlier instance's runner is an orphan");
            assertFalse(leftBehind.isAlive(), "the orphan is gone");

            Files.createFile(marks.resolve("go")); // now ours says it listens
            RunnerRef ref = starting.get(30, TimeUnit.SECONDS);
            assertEquals(List.of(Long.parseLong(ref.runnerId().value())), List.copyOf(runners.pids()),
                    "ours started, and lives");
            assertEquals(0, runners.destroyOrphans(), "a runner of ours is never an orphan");
            assertEquals(1, runners.pids().size());
        } finally {
            leftBehind.destroyForcibly();
        }
    }

    @Test
    void a_destroyed_runner_leaves_no_output_file() throws Exception {
        LocalProcessRunnerProvisioner runners = provisioner(1);
        RunnerSpec spec = spec(new TenantId(UUID.randomUUID()));
        RunnerRef ref = runners.provision(spec);
        assertEquals(1, Files.list(folder.resolve("logs")).count(), "the live runner's output file");
        runners.destroy(spec.tenant(), ref.runnerId());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Files.list(folder.resolve("logs")).count() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, Files.list(folder.resolve("logs")).count());
        assertTrue(runners.pids().isEmpty());
    }
    @Test
    void a_start_under_way_when_the_provisioner_closes_is_refused_and_leaves_no_process_or_file() throws Exception {
        LocalProcessRunnerProvisioner runners = provisioner(2); // the runner waits for a second mark before READY
        RunnerSpec spec = spec(new TenantId(UUID.randomUUID()));
        Future<RunnerRef> starting = startingUnderWay(runners, spec);
        Path marks = folder.resolve("marks");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);

        runners.close(); // the control plane shuts down while the runner is still starting
        Files.createFile(marks.resolve("go")); // now it says it listens

        java.util.concurrent.ExecutionException refused = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> starting.get(30, TimeUnit.SECONDS));
        assertEquals("runner.start_failed", ((DomainException) refused.getCause()).code());
        while (Files.list(folder.resolve("logs")).count() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, Files.list(folder.resolve("logs")).count(), "its output file is tidied like any runner's");
        assertTrue(runners.pids().isEmpty());
    }
}
