package ai.interviewinsights.app.local;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a local runner process is started and stopped, the one way for the cold provisioner and the standby pool
 * (ADR 0020) alike. A runner starts from {@link RunnerJvm} with a fresh environment (our {@code PATH} and
 * {@code HOME}, the variables every runner gets, then the launch's own: never a database credential of ours), writes
 * its output to a file of its own ({@link RunnerLogs}: no pipe, no thread per runner), and counts as started once it
 * has printed where it listens. It is stopped by being asked to terminate (it flushes its transcript and hangs up its
 * call) and killed after a grace period.
 *
 * <p>What each owner does with a started process (registering it, watching it, binding it to a session) stays with
 * the owner; whoever watches it tells {@link #exited} when it has ended.
 */
final class RunnerProcesses implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunnerProcesses.class);
    /** How long a runner asked to terminate gets before it is killed. */
    private static final long GRACE_SECONDS = 5;

    /**
     * A runner process that listens on {@code port}, with its JVM launch and its output file; {@code spawn} is how
     * long the process took to be created, {@code listening} how long from then until it said where it listens (the
     * split of a cold start the provisioner logs: docs/performance.md).
     */
    record Started(Process process, int port, RunnerJvm.Launch launch, Path log, Duration spawn,
                   Duration listening) {
    }

    private final RunnerJvm jvm;
    private final RunnerLogs logs;
    private final Map<String, String> runnerEnvironment;
    private final Duration startTimeout;

    /**
     * @param logFolder         where each runner's output file is kept while it runs (and after, if it died)
     * @param runnerEnvironment variables passed to every runner (OpenAI key and URL, log format)
     */
    RunnerProcesses(RunnerJvm jvm, Path logFolder, Map<String, String> runnerEnvironment, Duration startTimeout) {
        this.jvm = jvm;
        this.logs = new RunnerLogs(logFolder, () -> System.out);
        this.runnerEnvironment = Map.copyOf(runnerEnvironment);
        this.startTimeout = startTimeout;
    }

    /** The JVM command runners start with (without the class-data flags of one launch). */
    List<String> baseCommand() {
        return jvm.baseCommand();
    }

    /**
     * Starts a runner and waits until it says where it listens. Nothing is left behind when it fails: the process is
     * killed, its launch told and its output file kept for the operator.
     *
     * @param logName          what its output file is called after
     * @param launchVariables  the launch's own variables, over those of every runner
     * @throws DomainException {@code runner.start_failed} (retryable) when it did not start or come up in time
     */
    Started start(String logName, Map<String, String> launchVariables) {
        RunnerJvm.Launch launch = jvm.next();
        Path log;
        try {
            log = logs.newFile(logName);
        } catch (IOException e) {
            launch.onExit().accept(-1);
            throw startFailed("a runner's log file could not be created", e);
        }
        ProcessBuilder builder = new ProcessBuilder(launch.command()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        String path = env.get("PATH");
        String home = env.get("HOME");
        env.clear(); // a runner gets nothing from our environment but what it needs: no database credentials
        if (path != null) {
            env.put("PATH", path);
        }
        if (home != null) {
            env.put("HOME", home);
        }
        env.putAll(runnerEnvironment);
        env.putAll(launchVariables);
        // glibc's malloc keeps an arena per thread by default: two are plenty for a runner and cost far less memory.
        env.put("MALLOC_ARENA_MAX", "2");
        Process process;
        long spawning = System.nanoTime();
        try {
            process = builder.start();
        } catch (IOException e) {
            launch.onExit().accept(-1);
            logs.finished(log, true);
            throw startFailed("a runner process could not be started", e);
        }
        Started started;
        long spawnedAt = System.nanoTime();
        try {
            int port = awaitPort(process, log);
            started = new Started(process, port, launch, log, Duration.ofNanos(spawnedAt - spawning),
                    Duration.ofNanos(System.nanoTime() - spawnedAt));
        } catch (RuntimeException e) {
            launch.onExit().accept(-1);
            logs.finished(log, true);
            throw e;
        }
        return started;
    }

    /** Reads the child's output file until it says where it listens; afterwards its output goes to our log. */
    private int awaitPort(Process process, Path log) {
        try {
            String rest = logs.awaitLine(log, LocalProcessRunnerProvisioner.READY_LINE, process::isAlive,
                    System.nanoTime() + startTimeout.toNanos());
            if (rest != null) {
                return Integer.parseInt(rest.strip());
            }
            kill(process);
            throw startFailed(process.isAlive()
                    ? "the runner process did not come up within " + startTimeout.toSeconds() + " s"
                    : "the runner exited before listening", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(process);
            throw startFailed("interrupted", e);
        } catch (IOException | NumberFormatException e) {
            kill(process);
            throw startFailed("the runner's output could not be read", e);
        }
    }

    /**
     * The process has ended (or, killed before anyone watched it, will): its launch learns the exit code, its last
     * lines are passed through, and its output file is deleted unless {@code keepLog} (a runner that died).
     */
    void exited(Started started, int exitCode, boolean keepLog) {
        exited(started, exitCode, keepLog, true);
    }

    /**
     * The same, for a runner that may have been given no session (a standby never claimed): its launch then learns
     * {@link RunnerJvm#GIVEN_NO_SESSION} instead of the exit code, so its class-data record is not kept.
     */
    void exited(Started started, int exitCode, boolean keepLog, boolean givenASession) {
        started.launch().onExit().accept(givenASession ? exitCode : RunnerJvm.GIVEN_NO_SESSION);
        logs.finished(started.log(), keepLog);
    }

    private static DomainException startFailed(String message, Throwable cause) {
        return new DomainException(ErrorKind.UNAVAILABLE, "runner.start_failed", message, true, cause);
    }

    /** Asks a runner process to terminate (it flushes and hangs up), then kills it after a grace period. */
    static void kill(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(GRACE_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops many runners at once: all are asked to terminate together, then given one common grace period before
     * those still running are killed (a shutdown takes as long as the slowest runner, not as long as all of them).
     */
    static void terminateAll(Collection<Process> processes) {
        for (Process process : processes) {
            process.destroy();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2 * GRACE_SECONDS);
        for (Process process : processes) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Destroys the processes on this machine whose command line holds this instance's owner marker (the flag of its
     * base command that starts with {@code ownerFlag}; no marker, no sweep) and that do not descend from
     * this JVM: runners left behind by an earlier instance that was killed (they would otherwise live on, listening,
     * unseen; the system adopted them when their parent died). Each is asked to terminate, then killed after a grace
     * period. Returns how many were found.
     *
     * <p>Descent, not an owner's books, decides: a runner is booked only once it listens, and one still starting (or
     * a shell it runs, or the archive's assembler, which carry the same marker) must never be taken for an orphan.
     */
    int destroyOrphans(String ownerFlag, String what) {
        // The owner's marker, as it stands on every command line this instance starts; none, no sweep.
        String marker = baseCommand().stream().filter(c -> c.startsWith(ownerFlag)).findFirst().orElse(null);
        if (marker == null) {
            return 0;
        }
        long us = ProcessHandle.current().pid();
        List<ProcessHandle> orphans = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != us && commandLine(p).contains(marker) && !descendsFrom(p, us))
                .toList();
        for (ProcessHandle orphan : orphans) {
            LOG.warn("destroying orphaned {} {} left by an earlier control plane", what, orphan.pid());
            orphan.destroy();
        }
        for (ProcessHandle orphan : orphans) {
            try {
                orphan.onExit().get(2 * GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                orphan.destroyForcibly();
            }
        }
        return orphans.size();
    }

    /** Whether {@code process} is a child, grandchild... of {@code ancestor} (a bounded walk up its parents). */
    static boolean descendsFrom(ProcessHandle process, long ancestor) {
        Optional<ProcessHandle> parent = process.parent();
        for (int hops = 0; parent.isPresent() && hops < 64; hops++) {
            if (parent.get().pid() == ancestor) {
                return true;
            }
            parent = parent.get().parent();
        }
        return false;
    }

    /**
     * A process's command line. The JDK gives up on long ones (a runner's class path is long), so on Linux it is read
     * from {@code /proc} directly.
     */
    static List<String> commandLine(ProcessHandle process) {
        Path proc = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        try {
            if (Files.isReadable(proc)) {
                return List.of(new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).split("\0"));
            }
        } catch (IOException | RuntimeException e) {
            // gone meanwhile, or not ours to read
        }
        return process.info().arguments().map(List::of).orElse(List.of());
    }

    /** Stops passing runners' output through (the processes themselves are their owner's to stop). */
    @Override
    public void close() {
        logs.close();
    }
}
