package ai.interviewinsights.app.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.interview.Architecture;
import ai.interviewinsights.domain.model.runner.RunnerSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the control plane spends per live local runner (issue 16, goal 3): N runner processes (a shell script standing
 * in for the runner JVM, printing the same line and writing output as a runner does) leave the control plane's own
 * threads where they were with one runner. Their output goes to a file per runner, passed on by one thread for all
 * (RunnerLogs). The one thread per child that remains is the JDK's "process reaper", which a
 * {@link Process} cannot do without (it waits for that child's exit); it is counted separately and must be no more
 * than one per live child.
 */
class ControlPlaneThreadsPerRunnerTest {

    private static final int RUNNERS = 8;

    @TempDir
    Path folder;

    private LocalProcessRunnerProvisioner provisioner;

    @AfterEach
    void stop() {
        if (provisioner != null) {
            provisioner.close();
        }
    }

    @Test
    void live_runners_cost_the_control_plane_no_thread_of_its_own_each() throws Exception {
        // Output before and after READY, and more of it while it lives: what a runner's log does.
        String script = "echo 'starting'; echo 'RUNNER_LISTENING port=40000'; "
                + "for i in 1 2 3 4 5 6 7 8 9 10; do echo \"line $i\"; sleep 0.2; done; exec sleep 60";
        provisioner = new LocalProcessRunnerProvisioner(RunnerJvm.fixed(List.of("/bin/sh", "-c", script)),
                folder.resolve("logs"), Map.of(), () -> URI.create("http://127.0.0.1:9"), Clock.systemUTC(),
                Duration.ofSeconds(20), lost -> { });
        TenantId tenant = new TenantId(UUID.randomUUID());

        provisioner.provision(spec(tenant));
        Thread.sleep(500); // the first runner's output is being passed on: the forwarding thread exists
        Map<String, Integer> withOne = threads();

        for (int i = 1; i < RUNNERS; i++) {
            provisioner.provision(spec(tenant));
        }
        assertEquals(RUNNERS, provisioner.pids().size());
        Thread.sleep(500);
        Map<String, Integer> withAll = threads();

        int reapers = reapers(withAll);
        assertTrue(reapers <= RUNNERS, "at most the JDK's one reaper per live child: " + withAll);
        int ownBefore = total(withOne) - reapers(withOne);
        int ownAfter = total(withAll) - reapers;
        // Other tests' threads come and go in this JVM: a little slack, far below one per runner.
        assertTrue(ownAfter - ownBefore < RUNNERS / 2, "threads besides the JDK's reapers grew from " + ownBefore
                + " to " + ownAfter + " for " + (RUNNERS - 1) + " more runners: " + withOne + " -> " + withAll);
    }

    private static RunnerSpec spec(TenantId tenant) {
        return new RunnerSpec(new SessionId(UUID.randomUUID()), tenant, new CandidateId(UUID.randomUUID()),
                new PositionId(UUID.randomUUID()), Architecture.HYBRID, Secret.of("runner-token-" + UUID.randomUUID()),
                Secret.of("client-key-" + UUID.randomUUID()), Duration.ofMinutes(30));
    }

    /** This JVM's live threads by name, numbers stripped (pool threads differ only in them). */
    private static Map<String, Integer> threads() {
        Map<String, Integer> names = new TreeMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            names.merge(thread.getName().replaceAll("[-#]?\\d+", ""), 1, Integer::sum);
        }
        return names;
    }

    /** The JDK's reapers: "process reaper", "(pid N)" appended while one waits for a child. */
    private static int reapers(Map<String, Integer> threads) {
        return threads.entrySet().stream().filter(t -> t.getKey().startsWith("process reaper"))
                .mapToInt(Map.Entry::getValue).sum();
    }

    private static int total(Map<String, Integer> threads) {
        return threads.values().stream().mapToInt(Integer::intValue).sum();
    }
}
