package ai.interviewinsights.app.local;

import ai.interviewinsights.app.web.Json;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.interview.Architecture;
import ai.interviewinsights.domain.model.runner.LiveRunner;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.model.runner.RunnerLaunch;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.runner.RunnerSpec;
import ai.interviewinsights.domain.model.runner.StandbyPoolSizes;
import ai.interviewinsights.domain.port.out.RunnerPoolMetrics;
import ai.interviewinsights.domain.port.out.RunnerProvisioner;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm local runners (ADR 0020): a pool per architecture of runner processes started ahead of any session, in
 * front of the cold provisioner it wraps. A session's start claims a ready standby and binds it (its launch
 * variables, over loopback, with the standby's own key) instead of starting a JVM; with none ready it starts cold,
 * as before. Claims never wait for refills: one background thread tops the pools up, one standby at a time (a
 * JVM's start is CPU-bound).
 *
 * <p>Invariants: a standby is handed out by exactly one claim (taken off a concurrent deque, which gives each
 * element to one taker), and it refuses a second binding itself; a standby holds no session's and no tenant's data
 * (it is started without any, and a claimed runner never goes back to the pool); every process it started is gone
 * when it is closed, and the standbys are drained when its sizes change (they may have been started for another
 * configuration).
 */
public final class StandbyRunnerPool implements RunnerProvisioner, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StandbyRunnerPool.class);
    private static final String OWNER_FLAG = "-Dinterview.runner.pool-owner=";
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    /** One process of the pool, a standby until {@link #spec} is set by its claim. */
    private static final class Member {
        final Architecture architecture;
        final RunnerProcesses.Started started;
        final Process process;
        final int standbyPort;
        final Secret key;
        final long generation;
        volatile RunnerSpec spec;
        volatile RunnerRef ref;
        volatile Instant claimedAt;
        volatile boolean destroying;

        Member(Architecture architecture, RunnerProcesses.Started started, Secret key, long generation) {
            this.architecture = architecture;
            this.started = started;
            this.process = started.process();
            this.standbyPort = started.port();
            this.key = key;
            this.generation = generation;
        }

        long pid() {
            return process.pid();
        }
    }

    private final RunnerProvisioner cold;
    private final RunnerProcesses processes;
    private final Supplier<URI> controlPlaneUrl;
    private final Clock clock;
    private final Duration startTimeout;
    private final Consumer<LocalProcessRunnerProvisioner.LostRunner> onLost;
    private final RunnerPoolMetrics metrics;
    private final Map<Architecture, ConcurrentLinkedDeque<Member>> ready = new EnumMap<>(Architecture.class);
    private final Map<Long, Member> claimed = new ConcurrentHashMap<>();
    /**
     * The runners this pool had the cold provisioner start, by name: a retry of their session's start must get them
     * back (the port is idempotent per session), not claim a standby as a second runner for the session.
     */
    private final Map<String, ColdStart> startedCold = new ConcurrentHashMap<>();

    private record ColdStart(TenantId tenant, StartsInFlight.Running running) {
    }
    /** One claim per runner name; claimed runners are looked up under its lock ({@link #claimedFor}). */
    private final StartsInFlight inFlight;
    private final AtomicLong generation = new AtomicLong();
    private final ScheduledExecutorService refiller;
    // HTTP/1.1: over plain http the JDK client would otherwise offer an h2c upgrade on every new connection.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = Json.mapper();
    private final SecureRandom random = new SecureRandom();
    private final Object closeLock = new Object();
    private volatile StandbyPoolSizes sizes;
    private volatile boolean closed;
    private volatile boolean refillQueued;
    private int failures;

    /**
     * @param cold              the provisioner of cold starts, used when no standby is ready (and closed with this)
     * @param jvm               how pool runners are started; its flags should carry {@link #ownerFlag} so that
     *                          those left behind by a killed control plane are found ({@link #destroyOrphans})
     * @param logFolder         where each pool runner's output file is kept while it runs
     * @param runnerEnvironment variables passed to every runner (OpenAI key and URL, log format)
     */
    public StandbyRunnerPool(RunnerProvisioner cold, RunnerJvm jvm, Path logFolder,
                             Map<String, String> runnerEnvironment, Supplier<URI> controlPlaneUrl, Clock clock,
                             Duration startTimeout, Consumer<LocalProcessRunnerProvisioner.LostRunner> onLost,
                             RunnerPoolMetrics metrics, StandbyPoolSizes sizes) {
        this.cold = cold;
        this.processes = new RunnerProcesses(jvm, logFolder, runnerEnvironment, startTimeout);
        this.inFlight = new StartsInFlight(new Object(), startTimeout);
        this.controlPlaneUrl = controlPlaneUrl;
        this.clock = clock;
        this.startTimeout = startTimeout;
        this.onLost = onLost;
        this.metrics = metrics;
        this.sizes = sizes;
        for (Architecture architecture : Architecture.values()) {
            ready.put(architecture, new ConcurrentLinkedDeque<>());
        }
        this.refiller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "standby-refill");
            t.setDaemon(true);
            return t;
        });
        destroyOrphans();
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "standby-cleanup"));
        // Standbys that died on their own are noticed and replaced even while nobody claims.
        refiller.scheduleWithFixedDelay(this::refillSoon, 5, 5, TimeUnit.SECONDS);
        refillSoon();
    }

    /** The marker of pool runners started for this data directory, as a JVM flag (distinct from cold runners'). */
    public static String ownerFlag(Path dataDir) {
        return OWNER_FLAG + LocalProcessRunnerProvisioner.ownerOf(dataDir);
    }

    // ---- claiming

    @Override
    public RunnerRef provision(RunnerSpec spec) {
        return inFlight.startOnce(spec, name -> {
            Member existing = claimedFor(name);
            return existing != null ? new StartsInFlight.Running(existing.spec.session(), existing.ref)
                    : startedColdFor(name);
        }, () -> claimOrStartCold(spec));
    }

    /** The runner started cold under {@code name}, while the cold provisioner says it still runs. */
    private StartsInFlight.Running startedColdFor(String name) {
        ColdStart started = startedCold.get(name);
        if (started == null) {
            return null;
        }
        if (!cold.isAlive(started.tenant(), started.running().ref().runnerId())) {
            startedCold.remove(name, started); // gone: the session's next start is a new runner
            return null;
        }
        return started.running();
    }

    private RunnerRef claimOrStartCold(RunnerSpec spec) {
        long began = System.nanoTime();
        boolean pooled = sizes.of(spec.architecture()) > 0;
        if (pooled) {
            ConcurrentLinkedDeque<Member> queue = ready.get(spec.architecture());
            Member standby;
            // poll() gives each standby to exactly one caller, however many claim at once.
            while (!closed && (standby = queue.pollFirst()) != null) {
                refillSoon();
                if (!standby.process.isAlive()) {
                    continue;
                }
                try {
                    RunnerRef ref = bind(standby, spec);
                    metrics.claimed(spec.architecture(), true, Duration.ofNanos(System.nanoTime() - began));
                    LOG.info("standby runner {} claimed for session {} in {} ms", standby.pid(), spec.session(),
                            (System.nanoTime() - began) / 1_000_000);
                    return ref;
                } catch (RuntimeException e) {
                    LOG.warn("standby runner {} could not be bound ({}); trying the next", standby.pid(),
                            e.getMessage());
                    standby.destroying = true;
                    kill(standby.process);
                }
            }
            refillSoon();
        }
        RunnerRef ref = cold.provision(spec);
        // Those whose runners have ended on their own (an interview over) are forgotten here, so the map holds
        // about as many as run; this one is seen by the next start of its name before it leaves the starts in
        // flight (StartsInFlight).
        startedCold.values().removeIf(started -> !cold.isAlive(started.tenant(), started.running().ref().runnerId()));
        startedCold.put(spec.name().value(),
                new ColdStart(spec.tenant(), new StartsInFlight.Running(spec.session(), ref)));
        // A miss whether the pool ran dry or holds none of this architecture: a cold start, every one counted.
        metrics.claimed(spec.architecture(), false, Duration.ofNanos(System.nanoTime() - began));
        return ref;
    }

    /** Sends the session's launch variables to the standby; it answers with the port its session runner took. */
    private RunnerRef bind(Member standby, RunnerSpec spec) {
        Map<String, String> binding = new HashMap<>(new RunnerLaunch(spec, controlPlaneUrl.get(), "127.0.0.1", 0)
                .environment());
        // Where to listen was fixed at the standby's start; the session's variables and the control plane's URL
        // (unknown while the control plane was still starting) come now.
        // The architecture too: the standby was started for it (and its gateway built for it) before any session.
        binding.keySet().removeAll(List.of(RunnerLaunch.HOST, RunnerLaunch.PORT, RunnerLaunch.MODE,
                RunnerLaunch.ARCHITECTURE));
        standby.spec = spec; // from here on, a death of this process is this session's lost runner
        standby.claimedAt = clock.instant();
        synchronized (closeLock) {
            // Taken from the queue before the pool closed, bound after close() looked: it would outlive the control
            // plane. Listed before close() looks, it is stopped with the others; after, it is not bound at all.
            if (closed) {
                throw new IllegalStateException("the pool is closing");
            }
            claimed.put(standby.pid(), standby);
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + standby.standbyPort + StandbyLaunch.BIND_PATH))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + standby.key.reveal())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(binding)))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the standby answered " + response.statusCode());
            }
            JsonNode body = json.readTree(response.body());
            int port = body.path("port").asInt(0);
            if (port <= 0 || port > 65_535) {
                throw new IllegalStateException("the standby answered no port");
            }
            RunnerRef ref = new RunnerRef(new RunnerId(Long.toString(standby.pid())), spec.name(),
                    URI.create("ws://127.0.0.1:" + port + "/ws"));
            standby.ref = ref;
            return ref;
        } catch (IOException e) {
            claimed.remove(standby.pid(), standby);
            throw new IllegalStateException("the standby could not be reached: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            claimed.remove(standby.pid(), standby);
            Thread.currentThread().interrupt();
            throw new DomainException(ErrorKind.UNAVAILABLE, "runner.start_failed", "interrupted", true, e);
        } catch (RuntimeException e) {
            claimed.remove(standby.pid(), standby);
            throw e;
        }
    }

    private Member claimedFor(String name) {
        for (Member member : claimed.values()) {
            RunnerRef ref = member.ref;
            if (ref != null && ref.name().value().equals(name) && member.process.isAlive()) {
                return member;
            }
        }
        return null;
    }

    // ---- the other operations: pool runners first, then the cold provisioner's

    @Override
    public void destroy(TenantId tenant, RunnerId runnerId) {
        Member member = claimed.values().stream().filter(m -> m.ref != null && m.ref.runnerId().equals(runnerId)
                && m.spec.tenant().equals(tenant)).findFirst().orElse(null);
        if (member == null) {
            cold.destroy(tenant, runnerId);
            startedCold.values().removeIf(started -> started.running().ref().runnerId().equals(runnerId));
            return;
        }
        member.destroying = true;
        kill(member.process);
        claimed.remove(member.pid(), member);
    }

    @Override
    public boolean isAlive(TenantId tenant, RunnerId runnerId) {
        boolean ours = claimed.values().stream().anyMatch(m -> m.ref != null && m.ref.runnerId().equals(runnerId)
                && m.spec.tenant().equals(tenant) && m.process.isAlive());
        return ours || cold.isAlive(tenant, runnerId);
    }

    /** The cold provisioner's runners and the claimed ones; a standby serves no session, so it is not listed. */
    @Override
    public List<LiveRunner> listLive() {
        List<LiveRunner> live = new ArrayList<>(cold.listLive());
        live.addAll(claimedLive());
        return live;
    }

    /**
     * The runners this instance renews the leases of (ADR 0018): the cold provisioner's own and the claimed
     * standbys, which are this instance's processes just as much. Without this the pool answered the port's default
     * (a provider's, none), and with the pool on no lease was ever renewed: another instance then took a live
     * runner's session over once its lease lapsed, and a runner whose lease was lost ran on.
     */
    @Override
    public List<LiveRunner> runningHere() {
        List<LiveRunner> here = new ArrayList<>(cold.runningHere());
        here.addAll(claimedLive());
        return here;
    }

    /**
     * Whether {@link #isAlive} answers for every runner, whoever started it: the cold provisioner's word, since the
     * pool's runners are local processes like its own (another instance's are found through their leases).
     */
    @Override
    public boolean seesEveryRunner() {
        return cold.seesEveryRunner();
    }

    /** The claimed standbys still running, each since its claim (a lease is granted right after it). */
    private List<LiveRunner> claimedLive() {
        List<LiveRunner> live = new ArrayList<>();
        for (Member member : claimed.values()) {
            if (member.ref != null && member.process.isAlive()) {
                live.add(new LiveRunner(member.ref.runnerId(), member.spec.tenant(), member.spec.session(),
                        member.claimedAt));
            }
        }
        return live;
    }

    // ---- sizes, refills, draining

    /** The sizes in force. */
    public StandbyPoolSizes sizes() {
        return sizes;
    }

    /**
     * New sizes: every standby is drained (it was started for the configuration before) and the pools refill to
     * the new sizes. Claimed runners are not touched: they serve their sessions to the end.
     */
    public void reconfigure(StandbyPoolSizes newSizes) {
        sizes = newSizes;
        generation.incrementAndGet();
        drain();
        refillSoon();
    }

    /** Ready standbys of an architecture, by process id (tests, the health page). */
    public List<Long> standbyPids(Architecture architecture) {
        return ready.get(architecture).stream().filter(m -> m.process.isAlive()).map(Member::pid).toList();
    }

    /** How many cold-started runners the pool remembers for retries (tests: it holds no more than run). */
    int rememberedColdStarts() {
        return startedCold.size();
    }

    /** Claimed runners alive now, by process id. */
    public List<Long> claimedPids() {
        return claimed.values().stream().filter(m -> m.process.isAlive()).map(Member::pid).toList();
    }

    private void drain() {
        for (Architecture architecture : Architecture.values()) {
            Member member;
            while ((member = ready.get(architecture).pollFirst()) != null) {
                member.destroying = true;
                kill(member.process);
                metrics.refilled(architecture, "drained");
            }
        }
    }

    private void refillSoon() {
        if (closed || refillQueued) {
            return;
        }
        refillQueued = true;
        try {
            refiller.execute(this::refill);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            refillQueued = false;
        }
    }

    /** On the refill thread only: tops each pool up, one standby at a time, backing off after failures. */
    private void refill() {
        refillQueued = false;
        for (Architecture architecture : Architecture.values()) {
            ConcurrentLinkedDeque<Member> queue = ready.get(architecture);
            queue.removeIf(m -> !m.process.isAlive());
            while (!closed && queue.size() < sizes.of(architecture)) {
                long started = generation.get();
                Member member;
                try {
                    member = startStandby(architecture, started);
                    failures = 0;
                    metrics.refilled(architecture, "started");
                } catch (RuntimeException e) {
                    failures++;
                    metrics.refilled(architecture, "failed");
                    long delay = Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(failures, 10));
                    LOG.warn("a standby runner did not start ({}); next try in {} ms", e.getMessage(), delay);
                    refiller.schedule(this::refillSoon, delay, TimeUnit.MILLISECONDS);
                    return;
                }
                synchronized (closeLock) {
                    if (closed || generation.get() != started) {
                        member.destroying = true; // started for a configuration that changed meanwhile
                        kill(member.process);
                        continue;
                    }
                    queue.addLast(member);
                }
            }
        }
    }

    private Member startStandby(Architecture architecture, long forGeneration) {
        byte[] keyBytes = new byte[32];
        random.nextBytes(keyBytes);
        Secret key = Secret.of(Base64.getUrlEncoder().withoutPadding().encodeToString(keyBytes));
        // Nothing of any session: there is none yet. The binding brings the control plane's URL again.
        Map<String, String> launch = Map.of(
                RunnerLaunch.MODE, RunnerLaunch.RUNNER_MODE,
                RunnerLaunch.CONTROL_PLANE_URL, currentControlPlaneUrl(),
                RunnerLaunch.HOST, "127.0.0.1",
                RunnerLaunch.PORT, "0",
                StandbyLaunch.STANDBY_KEY, key.reveal(),
                StandbyLaunch.ARCHITECTURE, architecture.wireName());
        RunnerProcesses.Started started = processes.start(
                "standby-" + architecture.wireName() + "-" + Long.toHexString(random.nextLong()), launch);
        Process process = started.process();
        int port = started.port();
        try {
            // Asked once here, on the refill thread, with a binding it must refuse (no key): the claim then finds
            // this side's client and serialiser, and the standby's binding route, already run through once.
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + StandbyLaunch.BIND_PATH))
                    .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(Map.of("warm-up", "1"))))
                    .build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            LOG.debug("standby {} did not answer its health check: {}", process.pid(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(process);
            processes.exited(started, -1, false);
            throw new IllegalStateException("interrupted");
        }
        Member member = new Member(architecture, started, key, forGeneration);
        process.onExit().thenAccept(p -> exited(member));
        LOG.info("standby runner {} ({}) ready on port {}", process.pid(), architecture.wireName(), port);
        return member;
    }

    /** Where the control plane listens, or a placeholder while it is still starting (a standby learns it later). */
    private String currentControlPlaneUrl() {
        try {
            return controlPlaneUrl.get().toString();
        } catch (RuntimeException stillStarting) {
            return "http://127.0.0.1:1";
        }
    }

    private void exited(Member member) {
        ready.get(member.architecture).remove(member);
        claimed.remove(member.pid(), member);
        int code = member.process.exitValue();
        boolean lost = member.spec != null && !member.destroying && code != 0;
        // A standby never claimed was given no session: its class-data record (if it made one) is not kept. (One
        // claimed whose candidate never connected keeps its record: the pool cannot tell; its standby's warm-up put
        // the relay's own classes in it all the same.)
        processes.exited(member.started, code, lost || member.spec == null && !member.destroying,
                member.spec != null);
        if (lost) {
            LOG.warn("runner process {} of session {} died with exit code {}", member.pid(), member.spec.session(),
                    code);
            onLost.accept(new LocalProcessRunnerProvisioner.LostRunner(member.spec.tenant(), member.spec.session(),
                    member.pid(), code));
        } else if (member.spec == null && !member.destroying && !closed) {
            LOG.warn("standby runner {} exited on its own (code {}); replacing it", member.pid(), code);
            refillSoon();
        }
    }

    /**
     * Destroys pool runners of this owner left behind by an earlier control plane that was killed (standbys leave
     * by themselves when it goes; a claimed runner lives on, like a cold one).
     */
    public int destroyOrphans() {
        return processes.destroyOrphans(OWNER_FLAG, "pool runner");
    }

    private static void kill(Process process) {
        RunnerProcesses.kill(process); // the same grace period as a cold runner's
    }

    /**
     * Stops refilling, then destroys every standby and every claimed runner (each is asked to terminate, then
     * killed after a common grace period), then closes the cold provisioner: no process outlives the control plane.
     */
    @Override
    public void close() {
        List<Member> all = new ArrayList<>();
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
            refiller.shutdownNow();
            ready.values().forEach(q -> {
                Member m;
                while ((m = q.pollFirst()) != null) {
                    all.add(m);
                }
            });
            all.addAll(claimed.values());
        }
        try {
            refiller.awaitTermination(startTimeout.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // a standby the refill thread finished starting after we looked was killed by it (closed is set)
        for (Member member : all) {
            member.destroying = true;
        }
        RunnerProcesses.terminateAll(all.stream().map(m -> m.process).toList());
        processes.close();
        if (cold instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("closing the cold provisioner failed: {}", e.toString());
            }
        }
    }
}
