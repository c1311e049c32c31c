package ai.interviewinsights.app.local;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.runner.LiveRunner;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.model.runner.RunnerLaunch;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.runner.RunnerSpec;
import ai.interviewinsights.domain.port.out.RunnerPoolMetrics;
import ai.interviewinsights.domain.port.out.RunnerProvisioner;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One local OS process per interview: the runners' jar (or the application's, in runner mode) started on a free
 * loopback port. Real process isolation on one machine, and the default of the run command. The child gets a fresh
 * environment holding only what a runner needs (no database credentials), reports the port it bound on its standard
 * output, and is watched: one that dies before finishing its interview is reported, so the session can be marked
 * FAILED.
 */
public final class LocalProcessRunnerProvisioner implements RunnerProvisioner, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalProcessRunnerProvisioner.class);
    /** The line a runner prints once it listens: {@code RUNNER_LISTENING port=<n>}. */
    public static final String READY_LINE = "RUNNER_LISTENING port=";

    /** A runner process that ended without having been destroyed by us and without a clean exit. */
    public record LostRunner(TenantId tenant, SessionId session, long pid, int exitCode) {
    }

    private final java.util.function.Supplier<URI> controlPlaneUrl;
    private final Clock clock;
    private final Duration startTimeout;
    private final java.util.function.Consumer<LostRunner> onLost;
    private final Map<String, Child> children = new LinkedHashMap<>();
    private final Map<Long, Boolean> destroying = new ConcurrentHashMap<>();

    private record Child(RunnerSpec spec, RunnerProcesses.Started started, RunnerRef ref, Instant startedAt) {
        Process process() {
            return started.process();
        }
    }

    private final RunnerProcesses processes;
    /** One start per runner name; its lock is this provisioner's, under which {@link #children} is read too. */
    private final StartsInFlight starting;
    /** Told of each runner started here: a pool's miss (see {@link #reportColdStartsTo}); none by default. */
    private volatile RunnerPoolMetrics coldStarts = RunnerPoolMetrics.NONE;

    /**
     * @param command           how to start this jar in runner mode (java, JVM flags, -cp, main class)
     * @param runnerEnvironment variables passed through to every runner (OpenAI key and URL, log format)
     */
    public LocalProcessRunnerProvisioner(List<String> command, Map<String, String> runnerEnvironment,
                                         java.util.function.Supplier<URI> controlPlaneUrl, Clock clock,
                                         Duration startTimeout,
                                         java.util.function.Consumer<LostRunner> onLost) {
        this(RunnerJvm.fixed(command), temporaryLogFolder(), runnerEnvironment, controlPlaneUrl, clock, startTimeout,
                onLost);
    }

    /**
     * @param jvm               how runner JVMs are started (flags, class path, class-data archive)
     * @param logFolder         where each runner's output file is kept while it runs (and after, if it died)
     * @param runnerEnvironment variables passed through to every runner (OpenAI key and URL, log format)
     */
    public LocalProcessRunnerProvisioner(RunnerJvm jvm, java.nio.file.Path logFolder,
                                         Map<String, String> runnerEnvironment,
                                         java.util.function.Supplier<URI> controlPlaneUrl, Clock clock,
                                         Duration startTimeout,
                                         java.util.function.Consumer<LostRunner> onLost) {
        this.processes = new RunnerProcesses(jvm, logFolder, runnerEnvironment, startTimeout);
        this.starting = new StartsInFlight(this, startTimeout);
        this.controlPlaneUrl = controlPlaneUrl;
        this.clock = clock;
        this.startTimeout = startTimeout;
        this.onLost = onLost;
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "runner-cleanup"));
    }

    private static java.nio.file.Path temporaryLogFolder() {
        try {
            return java.nio.file.Files.createTempDirectory("interview-runner-logs-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The owner marker of runners started for this data directory ({@link #ownerOf}), as a JVM flag. */
    public static String ownerFlag(java.nio.file.Path dataDir) {
        return OWNER_FLAG + ownerOf(dataDir);
    }

    /** The command that starts this very application (jar or class path) in runner mode. */
    public static List<String> currentJvmCommand(String mainClass) {
        return currentJvmCommand(mainClass, null);
    }

    /**
     * The same, with the runners marked as this owner's ({@code -Dinterview.runner.owner=}): a control plane started
     * again on the same data directory finds the runners an earlier, killed instance left behind, and destroys them.
     *
     * @param owner what identifies the control plane across restarts (derived from its data directory), or null
     */
    public static List<String> currentJvmCommand(String mainClass, String owner) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx192m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xss512k"));
        if (owner != null) {
            command.add(OWNER_FLAG + owner);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        return List.copyOf(command);
    }

    /** An owner id for a data directory: stable across restarts, distinct between instances on one machine. */
    public static String ownerOf(java.nio.file.Path dataDir) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(
                    dataDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static final String OWNER_FLAG = "-Dinterview.runner.owner=";

    /**
     * Destroys runner processes of this owner that are not ours: left behind by an earlier instance that was killed
     * (they would otherwise live on, listening, unseen). Each is asked to terminate (it flushes its transcript and
     * hangs up its call), then killed after a grace period. Returns how many were found.
     */
    public int destroyOrphans() {
        return processes.destroyOrphans(OWNER_FLAG, "runner process");
    }

    @Override
    public RunnerRef provision(RunnerSpec spec) {
        long began = System.nanoTime();
        // Runners start in parallel (each start is a JVM's start: most of a second); only one start per name.
        return starting.startOnce(spec, name -> {
            Child existing = children.get(name); // under this provisioner's lock, with the starts under way
            return existing != null && existing.process().isAlive()
                    ? new StartsInFlight.Running(existing.spec().session(), existing.ref()) : null;
        }, () -> {
            RunnerRef ref = startWhenACoreIsFree(spec);
            // Only a runner started here: a retried start that finds the session's runner running is no start.
            coldStarts.claimed(spec.architecture(), false, Duration.ofNanos(System.nanoTime() - began));
            return ref;
        });
    }

    /**
     * Reports each runner this provisioner starts as a cold start (a pool's miss) to {@code metrics}, with the time
     * from the request to a runner that takes connections: for a control plane with no standby pool in front of it,
     * so that an operator sees cold starts in every configuration. A {@link StandbyRunnerPool} reports its own.
     */
    public void reportColdStartsTo(RunnerPoolMetrics metrics) {
        this.coldStarts = java.util.Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * A JVM's start is CPU-bound: more starts at once than cores only slow every one of them down (measured on 2
     * cores: 4 at once, each ~3 s, against ~0.7 s alone). So as many start at once as there are cores (at least two:
     * one slow or hung start never holds up the others).
     */
    private final java.util.concurrent.Semaphore cores = new java.util.concurrent.Semaphore(
            Math.max(2, Runtime.getRuntime().availableProcessors()), true);

    private RunnerRef startWhenACoreIsFree(RunnerSpec spec) {
        try {
            if (!cores.tryAcquire(startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new DomainException(ErrorKind.UNAVAILABLE, "runner.start_failed",
                        "too many runners are starting; try again", true, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DomainException(ErrorKind.UNAVAILABLE, "runner.start_failed", "interrupted", true, e);
        }
        try {
            return start(spec);
        } finally {
            cores.release();
        }
    }

    private boolean closed;

    /** Starts one runner process and waits until it listens; called for one name at a time. */
    private RunnerRef start(RunnerSpec spec) {
        RunnerProcesses.Started started = processes.start("runner-" + spec.session(),
                new RunnerLaunch(spec, controlPlaneUrl.get(), "127.0.0.1", 0).environment());
        Process process = started.process();
        RunnerRef ref = new RunnerRef(new RunnerId(Long.toString(process.pid())), spec.name(),
                URI.create("ws://127.0.0.1:" + started.port() + "/ws"));
        Child child = new Child(spec, started, ref, clock.instant());
        synchronized (this) {
            if (closed) {
                destroying.put(process.pid(), true);
                // Watched like any runner: its launch learns the exit (an archive it was recording is dropped) and
                // its file is tidied.
                process.onExit().thenAccept(p -> exited(child));
                process.destroyForcibly();
                throw new DomainException(ErrorKind.UNAVAILABLE, "runner.start_failed",
                        "the control plane is shutting down", true, null);
            }
            children.put(spec.name().value(), child);
        }
        process.onExit().thenAccept(p -> exited(child));
        LOG.info("runner process {} started for session {} on port {} (spawned in {} ms, listening {} ms later)",
                process.pid(), spec.session(), started.port(), started.spawn().toMillis(),
                started.listening().toMillis());
        return ref;
    }

    private void exited(Child child) {
        long pid = child.process().pid();
        boolean destroyedByUs = destroying.remove(pid) != null;
        synchronized (this) {
            children.remove(child.spec().name().value(), child);
        }
        int code = child.process().exitValue();
        processes.exited(child.started(), code, !destroyedByUs && code != 0);
        if (!destroyedByUs && code != 0) {
            LOG.warn("runner process {} of session {} died with exit code {}", pid, child.spec().session(), code);
            onLost.accept(new LostRunner(child.spec().tenant(), child.spec().session(), pid, code));
        }
    }

    @Override
    public void destroy(TenantId tenant, RunnerId runnerId) {
        // A runner still starting is not known by its id yet: let the starts under way finish first.
        starting.awaitAll();
        Child child;
        synchronized (this) {
            child = children.values().stream().filter(c -> c.ref().runnerId().equals(runnerId)
                    && c.spec().tenant().equals(tenant)).findFirst().orElse(null);
        }
        if (child == null) {
            return; // already gone: counts as destroyed
        }
        destroying.put(child.process().pid(), true);
        kill(child.process());
        synchronized (this) {
            children.remove(child.spec().name().value(), child);
        }
    }

    private static void kill(Process process) {
        RunnerProcesses.kill(process);
    }

    /** Only our own children count: a process of an earlier instance is an orphan, never a session's runner. */
    @Override
    public synchronized boolean isAlive(TenantId tenant, RunnerId runnerId) {
        return children.values().stream().anyMatch(c -> c.ref().runnerId().equals(runnerId)
                && c.spec().tenant().equals(tenant) && c.process().isAlive());
    }

    @Override
    public List<LiveRunner> listLive() {
        destroyOrphans(); // the reconciler asks for the live runners: orphans never count, they are destroyed
        return listOwnLive();
    }

    /** Another instance's processes are invisible here: they are found through their leases (ADR 0018). */
    @Override
    public boolean seesEveryRunner() {
        return false;
    }

    /** The processes this instance started and that still run: it renews their leases (ADR 0018). */
    @Override
    public List<LiveRunner> runningHere() {
        return listOwnLive();
    }

    private synchronized List<LiveRunner> listOwnLive() {
        List<LiveRunner> live = new ArrayList<>();
        for (Child child : children.values()) {
            if (child.process().isAlive()) {
                live.add(new LiveRunner(child.ref().runnerId(), child.spec().tenant(), child.spec().session(),
                        child.startedAt()));
            }
        }
        return live;
    }

    /** Processes alive now, for tests and the health page. */
    public synchronized List<Long> pids() {
        return children.values().stream().filter(c -> c.process().isAlive()).map(c -> c.process().pid()).toList();
    }

    /**
     * Destroys every runner: no process outlives the control plane that started it. All are asked to terminate at
     * once (each flushes its transcript and hangs up its call), then given a common grace period before they are
     * killed. A second caller (the JVM runs shutdown hooks concurrently) waits for the first to finish.
     */
    @Override
    public void close() {
        processes.close();
        synchronized (closeLock) {
            List<Child> all;
            synchronized (this) {
                closed = true; // a start still under way kills its process instead of registering it
                all = new ArrayList<>(children.values());
                children.clear();
            }
            for (Child child : all) {
                destroying.put(child.process().pid(), true);
            }
            RunnerProcesses.terminateAll(all.stream().map(Child::process).toList());
        }
    }

    private final Object closeLock = new Object();
}
