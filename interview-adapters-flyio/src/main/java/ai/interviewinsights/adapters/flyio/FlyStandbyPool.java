package ai.interviewinsights.adapters.flyio;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.interview.Architecture;
import ai.interviewinsights.domain.model.runner.LiveRunner;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.runner.RunnerSpec;
import ai.interviewinsights.domain.model.runner.StandbyPoolSizes;
import ai.interviewinsights.domain.model.runner.TenantAppName;
import ai.interviewinsights.domain.port.out.RunnerPoolMetrics;
import ai.interviewinsights.domain.port.out.RunnerProvisioner;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Standby Fly Machines (ADR 0020): per tenant app and architecture, machines created ahead with {@code skip_launch}
 * (never started, no session's variables, tagged {@code pool=standby}), in front of the cold provisioner.
 *
 * <p>A session's start takes a standby off its pool and claims it: a lease on the machine (Fly's own lock: another
 * control-plane instance holding the same standby gets 409), a look that it is still an unclaimed standby, then an
 * update to the session's config (its variables and tags, exactly what a cold start would create), which Fly starts,
 * and the same wait for {@code started} as a cold start. These calls act on that one machine, so a cohort starting
 * together spends no app-wide budget. With no standby ready, or one that cannot be claimed, the start is cold.
 *
 * <p>Refills run on one background thread, never on a claim's: each create goes through {@link FlyRateLimit}
 * (1 request/s per app, bursts of 3), and a 429 blocks that app's creates for its {@code Retry-After} (else a
 * doubling backoff), so the pools converge without Fly throttling the starts that matter. At start the pools adopt
 * the standbys already in the tenant apps and destroy those of another image or beyond the configured size: a
 * change of configuration drains them.
 */
final class FlyStandbyPool implements RunnerProvisioner, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FlyStandbyPool.class);
    private static final String APP_PREFIX = "interviews-";
    private static final int LEASE_SECONDS = 60;
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    private record PoolKey(TenantId tenant, Architecture architecture) {
    }

    private final FlyMachinesProvisioner cold;
    private final MachinesApi api;
    private final FlyConfig config;
    private final Clock clock;
    private final RunnerPoolMetrics metrics;
    private final FlyRateLimit limits;
    private final Map<PoolKey, ConcurrentLinkedDeque<String>> pools = new ConcurrentHashMap<>();
    private final Set<TenantId> tenants = ConcurrentHashMap.newKeySet();
    private final Map<SessionId, RunnerRef> claimedHere = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refiller;
    /** Lease releases: never behind a refill (which may be waiting out a 429 for minutes). */
    private final java.util.concurrent.ExecutorService releases;
    private final SecureRandom random = new SecureRandom();
    private volatile StandbyPoolSizes sizes;
    private volatile boolean closed;
    private volatile boolean refillQueued;

    FlyStandbyPool(FlyMachinesProvisioner cold, MachinesApi api, FlyConfig config, Clock clock,
                   StandbyPoolSizes sizes, RunnerPoolMetrics metrics, FlyRateLimit limits) {
        this.cold = cold;
        this.api = api;
        this.config = config;
        this.clock = clock;
        this.sizes = sizes;
        this.metrics = metrics;
        this.limits = limits;
        this.tenants.addAll(sizes.tenants().keySet());
        this.refiller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fly-standby-refill");
            t.setDaemon(true);
            return t;
        });
        this.releases = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fly-lease-release");
            t.setDaemon(true);
            return t;
        });
        refiller.execute(this::adoptExisting);
        refiller.scheduleWithFixedDelay(this::refillSoon, 30, 30, TimeUnit.SECONDS);
        refillSoon();
    }

    // ---- claiming

    @Override
    public RunnerRef provision(RunnerSpec spec) {
        RunnerRef known = claimedHere.get(spec.session());
        if (known != null) {
            if (stillServes(spec.tenant(), known)) {
                return known; // a retried start of the same session: the machine it claimed
            }
            // Its runner died (and the machine with it, or it stopped): a rejoin must not be handed it again, which
            // it was on every try until this instance restarted. The session's next machine is made below.
            claimedHere.remove(spec.session(), known);
        }
        long began = System.nanoTime();
        tenants.add(spec.tenant());
        boolean pooled = sizes.of(spec.tenant(), spec.architecture()) > 0;
        if (pooled) {
            ConcurrentLinkedDeque<String> pool = pool(new PoolKey(spec.tenant(), spec.architecture()));
            String id;
            while (!closed && (id = pool.pollFirst()) != null) { // each id to exactly one caller
                refillSoon();
                Optional<RunnerRef> ref = claim(spec, id);
                if (ref.isPresent()) {
                    claimedHere.put(spec.session(), ref.get());
                    metrics.claimed(spec.architecture(), true, Duration.ofNanos(System.nanoTime() - began));
                    return ref.get();
                }
            }
            refillSoon();
        }
        // A miss whether the pool ran dry or holds none for this tenant and architecture: the cold provisioner counts
        // it (FlyRunners.pooled gives it these metrics), and only when it creates a machine, not when it finds the
        // session's (a start retried after its reply was lost, or two instances replacing a lost runner at once).
        return cold.provision(spec);
    }

    /** Whether a claimed machine still serves; when Fly cannot say, it is taken to (as before it was asked). */
    private boolean stillServes(TenantId tenant, RunnerRef known) {
        try {
            return cold.isAlive(tenant, known.runnerId());
        } catch (DomainException e) {
            LOG.warn("claimed machine {} could not be checked ({}); handing it out again", known.runnerId(), e.code());
            return true;
        }
    }

    /** Leases, checks and updates one standby to the session's config; empty when it cannot be had. */
    private Optional<RunnerRef> claim(RunnerSpec spec, String id) {
        String app = spec.app().value();
        Instant deadline = clock.instant().plus(config.startDeadline());
        try {
            FlyResponse leased = api.lease(app, id, LEASE_SECONDS);
            if (!leased.isSuccess()) {
                LOG.info("standby {} of app {} is not ours to claim (lease answered {}){}", id, app,
                        leased.status(), leased.requestIdSuffix());
                return Optional.empty();
            }
            String nonce = FlyJson.read(leased, FlyJson.Lease.class).theNonce();
            Optional<FlyJson.Machine> machine = api.machine(app, id);
            if (machine.isEmpty() || !isUnclaimedStandby(machine.get(), spec.tenant())) {
                LOG.info("standby {} of app {} was claimed or changed meanwhile; skipping it", id, app);
                return Optional.empty();
            }
            FlyResponse updated = api.update(app, id, MachineBlueprint.claimed(config, spec), nonce);
            if (!updated.isSuccess()) {
                LOG.warn("claiming standby {} of app {} answered {}{}; starting cold instead", id, app,
                        updated.status(), updated.requestIdSuffix());
                destroyQuietly(app, id);
                return Optional.empty();
            }
            FlyJson.Machine after = FlyJson.read(updated, FlyJson.Machine.class);
            // Released off the claim's path: until then only the lease's holder may change the machine.
            releases.execute(() -> releaseQuietly(app, id, nonce));
            cold.awaitStarted(app, spec, after.id() == null ? machine.get() : after, deadline);
            LOG.info("standby machine {} of app {} claimed for session {}{}", id, app, spec.session(),
                    updated.requestIdSuffix());
            return Optional.of(new RunnerRef(new RunnerId(id), spec.name(), config.endpointFor(app, id)));
        } catch (DomainException e) {
            LOG.warn("standby {} of app {} could not be claimed ({}); starting cold instead", id, app, e.code());
            return Optional.empty();
        }
    }

    private boolean isUnclaimedStandby(FlyJson.Machine machine, TenantId tenant) {
        Map<String, String> tags = machine.metadata();
        return MachineBlueprint.STANDBY.equals(tags.get(MachineBlueprint.POOL_KEY))
                && tags.get(MachineBlueprint.SESSION_KEY) == null
                && tenant.toString().equals(tags.get(MachineBlueprint.TENANT_KEY))
                && !MachineStates.isGone(machine.state()) && !MachineStates.isBroken(machine.state());
    }

    // ---- the rest is the cold provisioner's (which does not list standbys: they serve no session)

    @Override
    public void destroy(TenantId tenant, RunnerId runnerId) {
        claimedHere.values().removeIf(ref -> ref.runnerId().equals(runnerId));
        cold.destroy(tenant, runnerId);
    }

    @Override
    public List<LiveRunner> listLive() {
        return cold.listLive();
    }

    @Override
    public boolean isAlive(TenantId tenant, RunnerId runnerId) {
        return cold.isAlive(tenant, runnerId);
    }

    // ---- sizes and refills

    /** New sizes: standbys beyond them are destroyed, and the pools refill to them. */
    void reconfigure(StandbyPoolSizes newSizes) {
        sizes = newSizes;
        tenants.addAll(newSizes.tenants().keySet());
        refillSoon();
    }

    /** Ready standbys of a tenant's architecture, by machine id (tests, operators). */
    List<String> standbys(TenantId tenant, Architecture architecture) {
        return List.copyOf(pool(new PoolKey(tenant, architecture)));
    }

    private ConcurrentLinkedDeque<String> pool(PoolKey key) {
        return pools.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
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

    /** On the refill thread: the standbys already in the tenant apps are ours to use, or to drain. */
    private void adoptExisting() {
        try {
            for (String app : api.appNames()) {
                if (!app.startsWith(APP_PREFIX)) {
                    continue;
                }
                TenantId tenant;
                try {
                    tenant = TenantId.of(app.substring(APP_PREFIX.length()));
                } catch (DomainException notATenantApp) {
                    continue;
                }
                tenants.add(tenant);
                for (FlyJson.Machine machine : api.machines(app, null)) {
                    if (!MachineBlueprint.STANDBY.equals(machine.metadata().get(MachineBlueprint.POOL_KEY))
                            || machine.metadata().get(MachineBlueprint.SESSION_KEY) != null
                            || MachineStates.isGone(machine.state())) {
                        continue;
                    }
                    Architecture architecture;
                    try {
                        architecture = Architecture.fromWire(machine.metadata().get(MachineBlueprint.ARCHITECTURE_KEY));
                    } catch (DomainException e) {
                        architecture = null;
                    }
                    String image = machine.config() == null ? null : machine.config().image();
                    if (architecture != null && config.image().equals(image)) {
                        pool(new PoolKey(tenant, architecture)).addLast(machine.id());
                    } else {
                        drain(app, machine.id(), architecture == null ? Architecture.HYBRID : architecture,
                                "another image or architecture");
                    }
                }
            }
        } catch (DomainException e) {
            LOG.warn("the standby pools could not read the tenant apps ({}); they start empty", e.code());
        }
    }

    /** On the refill thread only: destroys standbys beyond the sizes, then creates the missing ones. */
    private void refill() {
        refillQueued = false;
        for (TenantId tenant : tenants) {
            for (Architecture architecture : Architecture.values()) {
                if (closed) {
                    return;
                }
                PoolKey key = new PoolKey(tenant, architecture);
                ConcurrentLinkedDeque<String> pool = pool(key);
                String app = TenantAppName.of(tenant).value();
                int wanted = sizes.of(tenant, architecture);
                String extra;
                while (pool.size() > wanted && (extra = pool.pollLast()) != null) {
                    drain(app, extra, architecture, "the pool's size was lowered");
                }
                if (pool.size() < wanted && !fill(key, pool, app, wanted)) {
                    return; // throttled or failing: the scheduled retry carries on
                }
            }
        }
    }

    private boolean fill(PoolKey key, ConcurrentLinkedDeque<String> pool, String app, int wanted) {
        try {
            if (pool.size() < wanted) {
                cold.ensureApp(app);
            }
            while (!closed && pool.size() < wanted) {
                limits.acquire(app, "create");
                String name = "standby-" + key.architecture().wireName() + "-"
                        + HexFormat.of().formatHex(bytes(6));
                FlyResponse created = createInSomeRegion(key, app, name);
                if (created.isSuccess()) {
                    String id = FlyJson.read(created, FlyJson.Machine.class).id();
                    pool.addLast(id);
                    failures.remove(app);
                    metrics.refilled(key.architecture(), "started");
                    LOG.info("standby machine {} created in app {} ({} of {}){}", id, app, pool.size(), wanted,
                            created.requestIdSuffix());
                    continue;
                }
                Duration wait = backoff(app, created.retryAfter());
                if (created.status() == 429) {
                    limits.throttled(app, "create", wait);
                    metrics.refilled(key.architecture(), "throttled");
                    LOG.info("Fly throttled standby creates in app {}; next in {} ms{}", app, wait.toMillis(),
                            created.requestIdSuffix());
                } else {
                    metrics.refilled(key.architecture(), "failed");
                    LOG.warn("creating a standby in app {} answered {} {}; next try in {} ms{}", app,
                            created.status(), created.flyStatus(), wait.toMillis(), created.requestIdSuffix());
                }
                refiller.schedule(this::refillSoon, wait.toMillis(), TimeUnit.MILLISECONDS);
                return false;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (DomainException e) {
            metrics.refilled(key.architecture(), "failed");
            Duration wait = backoff(app, null);
            LOG.warn("refilling the standby pool of app {} failed ({}); next try in {} ms", app, e.code(),
                    wait.toMillis());
            refiller.schedule(this::refillSoon, wait.toMillis(), TimeUnit.MILLISECONDS);
            return false;
        }
    }

    private FlyResponse createInSomeRegion(PoolKey key, String app, String name) {
        FlyResponse last = null;
        for (String region : config.regions()) {
            last = api.createStandby(app, MachineBlueprint.standby(config, key.tenant(), key.architecture(), name,
                    region));
            if (!last.isCapacityShortage()) {
                return last;
            }
        }
        return last;
    }

    private byte[] bytes(int n) {
        byte[] out = new byte[n];
        random.nextBytes(out);
        return out;
    }

    /** Fly's Retry-After when it gave one; else 1 s, doubling with each failure in a row, at most 5 minutes. */
    private Duration backoff(String app, Duration retryAfter) {
        int n = failures.merge(app, 1, Integer::sum);
        if (retryAfter != null) {
            return retryAfter.isZero() ? Duration.ofMillis(100) : retryAfter;
        }
        return Duration.ofMillis(Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(n - 1, 16)));
    }

    private void drain(String app, String id, Architecture architecture, String why) {
        try {
            limits.acquire(app, "destroy");
            api.destroy(app, id);
            metrics.refilled(architecture, "drained");
            LOG.info("standby machine {} of app {} destroyed: {}", id, app, why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (DomainException e) {
            LOG.warn("could not destroy standby {} of app {} ({}); the next start will try again", id, app,
                    e.code());
        }
    }

    private void releaseQuietly(String app, String id, String nonce) {
        try {
            FlyResponse released = api.releaseLease(app, id, nonce);
            if (!released.isSuccess() && released.status() != 404) {
                LOG.info("releasing the lease on machine {} of app {} answered {}; it expires within {} s{}", id, app,
                        released.status(), LEASE_SECONDS, released.requestIdSuffix());
            }
        } catch (DomainException e) {
            LOG.info("releasing the lease on machine {} of app {} failed ({}); it expires within {} s", id, app,
                    e.code(), LEASE_SECONDS);
        }
    }

    private void destroyQuietly(String app, String id) {
        try {
            api.destroy(app, id);
        } catch (DomainException e) {
            LOG.warn("could not destroy machine {} of app {}: {}", id, app, e.code());
        }
    }

    /**
     * Stops refilling. The standbys stay: stopped machines cost only their disk, and the next control plane adopts
     * them (or drains them, if its configuration differs).
     */
    @Override
    public void close() {
        closed = true;
        refiller.shutdownNow();
        releases.shutdown(); // the releases queued still go out: a lease left held blocks the session's end 60 s
    }

    @Override
    public String toString() {
        return "FlyStandbyPool[" + sizes.defaults() + ", " + sizes.tenants().size() + " tenant sizes]";
    }
}
