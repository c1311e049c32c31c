package ai.interviewinsights.app.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * starting another process, and a runner's output file is tidied when it ends.
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
        String script = "touch \"$MARKS/$SESSION_ID\"; "
                + "while [ \"$(ls \"$MARKS\" | wc -l)\" -lt " + expected + " ]; do sleep 0.05; done; "
                + "echo 'a log line before'; echo 'RUNNER_LISTENING port=40000'; exec sleep 60";
        Path marks = folder.resolve("marks");
        try {
            Files.createDirectories(marks);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        provisioner = new LocalProcessRunnerProvisioner(RunnerJvm.fixed(List.of("/bin/sh", "-c", script)),
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
}
