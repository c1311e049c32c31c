package ai.interviewinsights.adapters.flyio;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.runner.LiveRunner;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.runner.RunnerSpec;
import ai.interviewinsights.domain.model.runner.TenantAppName;
import ai.interviewinsights.domain.port.out.RunnerPoolMetrics;
import ai.interviewinsights.domain.port.out.RunnerProvisioner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runners as Fly Machines: one machine per interview session, in one app per tenant.
 *
 * <p>Provisioning makes sure the tenant's app {@code interviews-{tenantId}} exists, then creates the session's
 * machine under its deterministic name and waits until Fly reports it {@code started}. The name is what makes a
 * retry safe: Fly has no idempotency key, so before creating, and again when a create meets a name conflict, the
 * provisioner looks for the session's machine and carries on with it rather than start a second one. Fly's known
 * failure modes each have an answer: no capacity moves on to the next configured region; a wait that times out
 * polls again until the start deadline, after which the machine is destroyed and provisioning fails with the state
 * it was stuck in; rate limits and Fly's own failures are retried by {@link FlyHttp}.
 *
 * <p>Destroying first stops a running machine with SIGTERM and waits for it to stop, as a local runner is stopped:
 * the runner stores what its transcript still holds, hangs up and tells its browser before it exits
 * ({@code RunnerServer.shutDown}); Fly kills it after {@link #STOP_GRACE}. Then the destroy forces the machine down
 * whatever happened before, and treats "already gone" as done. Listing reads the session and tenant
 * tags of every machine in every {@code interviews-} app of the organisation, for the domain's reconciler.
 */
final class FlyMachinesProvisioner implements RunnerProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(FlyMachinesProvisioner.class);
    private static final String APP_PREFIX = "interviews-";

    private final FlyConfig config;
    private final MachinesApi api;
    private final Clock clock;
    private final RunnerPoolMetrics coldStarts;

    FlyMachinesProvisioner(FlyConfig config, MachinesApi api, Clock clock) {
        this(config, api, clock, RunnerPoolMetrics.NONE);
    }

    /**
     * @param coldStarts told of each machine this provisioner creates and sees started (a cold start, a pool's miss),
     *                   whether a {@link FlyStandbyPool} is in front of it or not; a machine it finds for the session
     *                   is no start
     */
    FlyMachinesProvisioner(FlyConfig config, MachinesApi api, Clock clock, RunnerPoolMetrics coldStarts) {
        this.config = config;
        this.api = api;
        this.clock = clock;
        this.coldStarts = Objects.requireNonNull(coldStarts, "coldStarts");
    }

    @Override
    public RunnerRef provision(RunnerSpec spec) {
        long began = System.nanoTime();
        Instant deadline = clock.instant().plus(config.startDeadline());
        String app = spec.app().value();
        ensureApp(app);
        Optional<FlyJson.Machine> found = findSessionMachine(app, spec);
        found.ifPresent(machine -> LOG.info("session {} already has machine {} ({}) in app {}: reusing it",
                spec.session(), machine.id(), machine.state(), app));
        FlyJson.Machine machine = found.orElseGet(() -> create(app, spec));
        awaitStarted(app, spec, machine, deadline);
        if (found.isEmpty()) { // a retried start that finds the session's machine is no start
            coldStarts.claimed(spec.architecture(), false, Duration.ofNanos(System.nanoTime() - began));
        }
        return new RunnerRef(new RunnerId(machine.id()), spec.name(), config.endpointFor(app, machine.id()));
    }

    /** How long a stopped runner has to say its goodbye before Fly kills it: the local provisioner's grace. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** The stop's whole budget (read, stop, wait), after which the destroy goes ahead whatever the stop's state. */
    static final Duration STOP_BUDGET = Duration.ofSeconds(15);
    private static final Duration STOP_CALL_TIMEOUT = Duration.ofSeconds(5);

    @Override
    public void destroy(TenantId tenant, RunnerId runnerId) {
        String app = TenantAppName.of(tenant).value();
        String id = MachinesApi.checked(runnerId.value());
        boolean stopped = stopFirst(app, id);
        boolean destroyedNow;
        try {
            destroyedNow = api.destroy(app, id);
        } catch (DomainException refused) {
            // Runner machines are auto_destroy: one that has just stopped may already be on its way out, and Fly
            // may refuse a second destroy meanwhile. Gone is gone.
            if (stopped && goneNow(app, id)) {
                LOG.info("machine {} of app {} went by itself after its stop", id, app);
                return;
            }
            throw refused;
        }
        if (destroyedNow) {
            LOG.info("destroyed machine {} of app {}", runnerId, app);
        } else {
            LOG.info("machine {} of app {} was already gone", runnerId, app);
        }
    }

    /**
     * A running runner is stopped as a local one is, before its destroy: SIGTERM with {@link #STOP_GRACE} (it stores
     * what its transcript holds, hangs up and tells its browser: {@code RunnerServer.shutDown}), then a wait until
     * Fly reports it stopped. One already stopping (another caller's stop, a stop whose answer was lost) is waited
     * for the same way. Best effort within {@link #STOP_BUDGET}, each call once: whatever fails leaves the forced
     * destroy to do the rest. Skipped, and the destroy alone as before, for a machine that is not running or whose
     * instance Fly does not name (the wait for {@code stopped} needs it). Returns whether a stop was asked or awaited.
     */
    private boolean stopFirst(String app, String id) {
        long deadline = System.nanoTime() + STOP_BUDGET.toNanos();
        try {
            FlyResponse read = api.machineOnce(app, id, STOP_CALL_TIMEOUT);
            if (!read.isSuccess()) {
                return false; // gone (404), or Fly not answering: the destroy decides
            }
            FlyJson.Machine machine = FlyJson.read(read, FlyJson.Machine.class);
            String instance = machine.instanceId();
            boolean running = MachineStates.isStarted(machine.state());
            if (instance == null || instance.isBlank() || !(running || "stopping".equals(machine.state()))) {
                return false;
            }
            if (running) {
                FlyResponse stop = api.stopOnce(app, id, "SIGTERM", STOP_GRACE, STOP_CALL_TIMEOUT);
                if (stop.status() == 404) {
                    return false;
                }
                if (!stop.isSuccess()) {
                    // Already stopping (a retried or a concurrent stop), or held by a lease: waited for all the same.
                    LOG.info("machine {} of app {} did not take its stop ({}{}); waiting for it to stop", id, app,
                            stop.status(), stop.requestIdSuffix());
                }
            }
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000_000L);
            FlyResponse waited = api.waitForStoppedOnce(app, id, instance,
                    Math.min(STOP_GRACE.toSeconds() + 5, left));
            if (!waited.isSuccess()) {
                LOG.info("machine {} of app {} had not stopped ({}{}); destroying it", id, app, waited.status(),
                        waited.requestIdSuffix());
            }
            return true;
        } catch (DomainException e) {
            LOG.info("could not stop machine {} of app {} first ({}); destroying it", id, app, e.code());
            return false;
        }
    }

    /** Whether Fly no longer has the machine, or has it on its way out. */
    private boolean goneNow(String app, String id) {
        try {
            return api.machine(app, id).map(m -> MachineStates.isGone(m.state())).orElse(true);
        } catch (DomainException e) {
            return false;
        }
    }

    @Override
    public boolean isAlive(TenantId tenant, RunnerId runnerId) {
        if (!MachinesApi.isMachineId(runnerId.value())) {
            return false; // no machine can have it (another provider's runner): not a 400 for the candidate's rejoin
        }
        return api.machine(TenantAppName.of(tenant).value(), runnerId.value())
                .filter(FlyMachinesProvisioner::serves).isPresent();
    }

    /**
     * Whether a machine serves its session now or is on its way to: not gone, not failed, not stopped or stopping
     * (its process has exited or is exiting; the session's next start starts it again, or makes another). Asked of
     * the one machine, in its tenant's app: the port's default listed every app of the organisation (a call per
     * tenant) on each rejoin, and one app's failure to list failed every tenant's rejoin.
     */
    private static boolean serves(FlyJson.Machine machine) {
        return !MachineStates.isGone(machine.state()) && !MachineStates.isBroken(machine.state())
                && !MachineStates.isParked(machine.state()) && !MachineStates.isWindingDown(machine.state());
    }

    @Override
    public List<LiveRunner> listLive() {
        List<LiveRunner> live = new ArrayList<>();
        for (String app : api.appNames()) {
            Optional<TenantId> tenant = tenantOf(app);
            if (tenant.isEmpty()) {
                continue;
            }
            for (FlyJson.Machine machine : api.machines(app, null)) {
                if (machine.id() == null || MachineStates.isGone(machine.state())
                        || MachineBlueprint.STANDBY.equals(machine.metadata().get(MachineBlueprint.POOL_KEY))) {
                    continue; // a standby serves no session yet: the pool keeps it, the reconciler must not
                }
                live.add(new LiveRunner(new RunnerId(machine.id()), tenant.get(), taggedSession(app, machine,
                        tenant.get()),
                        createdAt(machine)));
            }
        }
        return live;
    }

    // ---- the tenant app

    void ensureApp(String app) {
        FlyResponse found = api.app(app);
        if (found.isSuccess()) {
            requireOurOrganisation(app, found);
            return;
        }
        if (found.status() == 403) {
            throw nameTaken(app, found);
        }
        if (found.status() != 404) {
            throw FlyFailures.unexpected(found, "looking up Fly app " + app);
        }
        FlyResponse created = api.createApp(app);
        if (created.isSuccess()) {
            LOG.info("created Fly app {} in organisation {}{}", app, config.orgSlug(), created.requestIdSuffix());
            return;
        }
        // Another provision for the same tenant may have created it meanwhile, or someone else took the name.
        FlyResponse again = api.app(app);
        if (again.isSuccess()) {
            requireOurOrganisation(app, again);
            return;
        }
        if (again.status() == 403) {
            throw nameTaken(app, again);
        }
        throw FlyFailures.unexpected(created, "creating Fly app " + app);
    }

    private void requireOurOrganisation(String app, FlyResponse found) {
        FlyJson.App described = FlyJson.read(found, FlyJson.App.class);
        String slug = described.organization() == null ? null : described.organization().slug();
        if (slug != null && !slug.equals(config.orgSlug())) {
            throw FlyFailures.refused("fly.app_in_other_organisation", "the Fly app " + app
                    + " exists in organisation " + slug + ", not in " + config.orgSlug()
                    + "; runners of this tenant are not created there" + found.requestIdSuffix());
        }
    }

    private DomainException nameTaken(String app, FlyResponse response) {
        return FlyFailures.refused("fly.app_name_taken", "the Fly app name " + app + " is owned by another "
                + "organisation (app names are global on Fly), so this tenant's runners cannot be created; "
                + "free the name or contact Fly support" + response.requestIdSuffix());
    }

    // ---- the session's machine

    /**
     * The session's live machine, found by its session tag. Not by name alone: the name carries only 8 characters
     * of the session id, so a machine with our name but another session's tag belongs to someone else.
     */
    private Optional<FlyJson.Machine> findSessionMachine(String app, RunnerSpec spec) {
        return sessionMachines(app, spec).stream()
                .filter(m -> !MachineStates.isGone(m.state()))
                .min(Comparator.comparing(m -> m.createdAt() == null ? "" : m.createdAt()));
    }

    private List<FlyJson.Machine> sessionMachines(String app, RunnerSpec spec) {
        String session = spec.session().toString();
        return api.machines(app, spec.session()).stream()
                .filter(m -> m.id() != null && session.equals(m.metadata().get(MachineBlueprint.SESSION_KEY)))
                .toList();
    }

    private FlyJson.Machine create(String app, RunnerSpec spec) {
        String doing = "creating machine " + spec.name() + " in app " + app;
        List<String> full = new ArrayList<>();
        for (String region : config.regions()) {
            FlyResponse response = api.createMachine(app, MachineBlueprint.of(config, spec, region));
            if (response.isSuccess()) {
                FlyJson.Machine machine = FlyJson.read(response, FlyJson.Machine.class);
                LOG.info("created machine {} ({}) in app {}, region {}{}", machine.id(), spec.name(), app, region,
                        response.requestIdSuffix());
                return machine;
            }
            if (response.isCapacityShortage()) {
                LOG.warn("Fly has no capacity in region {} for {}{}; trying the next region", region, spec.name(),
                        response.requestIdSuffix());
                full.add(region);
                continue;
            }
            if (response.status() == 409 || response.status() == 422) {
                return afterConflict(app, spec, response, doing);
            }
            throw FlyFailures.unexpected(response, doing, spec.runnerToken(), spec.clientTokenKey());
        }
        throw FlyFailures.retryable("fly.insufficient_capacity", "no configured Fly region had capacity for "
                + spec.name() + " (tried " + String.join(", ", full) + "); try again later or add regions");
    }

    /**
     * A conflict on create usually means an earlier attempt did create the machine and its answer was lost: find
     * that machine and carry on with it.
     */
    private FlyJson.Machine afterConflict(String app, RunnerSpec spec, FlyResponse conflict, String doing) {
        List<FlyJson.Machine> ours = sessionMachines(app, spec);
        Optional<FlyJson.Machine> live = ours.stream().filter(m -> !MachineStates.isGone(m.state())).findFirst();
        if (live.isPresent()) {
            LOG.info("machine {} already exists as {} ({}){}: reusing it", spec.name(), live.get().id(),
                    live.get().state(), conflict.requestIdSuffix());
            return live.get();
        }
        if (!ours.isEmpty()) {
            throw nameBusy(spec, conflict);
        }
        List<FlyJson.Machine> named = api.machines(app, null).stream()
                .filter(m -> spec.name().value().equals(m.name())).toList();
        Optional<FlyJson.Machine> other = named.stream().filter(m -> !MachineStates.isGone(m.state())).findFirst();
        if (other.isPresent()) {
            throw new DomainException(ErrorKind.CONFLICT, "fly.machine_name_collision", "machine name "
                    + spec.name() + " is in use by machine " + other.get().id() + " of another session ("
                    + other.get().metadata().getOrDefault(MachineBlueprint.SESSION_KEY, "untagged")
                    + "): the 8-character session prefix in runner names collided" + conflict.requestIdSuffix());
        }
        if (!named.isEmpty()) {
            throw nameBusy(spec, conflict);
        }
        throw FlyFailures.unexpected(conflict, doing, spec.runnerToken(), spec.clientTokenKey());
    }

    private static DomainException nameBusy(RunnerSpec spec, FlyResponse conflict) {
        return FlyFailures.retryable("fly.machine_name_busy", "machine name " + spec.name()
                + " is still held by a machine being destroyed; try again shortly" + conflict.requestIdSuffix());
    }

    // ---- waiting for started

    void awaitStarted(String app, RunnerSpec spec, FlyJson.Machine machine, Instant deadline) {
        String id = machine.id();
        if (MachineStates.isStarted(machine.state())) {
            return;
        }
        if (MachineStates.isBroken(machine.state())) {
            throw failedToStart(app, spec, id, machine.state());
        }
        if (MachineStates.isParked(machine.state())) {
            FlyResponse started = api.start(app, id);
            if (!started.isSuccess()) {
                LOG.warn("starting parked machine {} of app {} answered {}{}", id, app, started.status(),
                        started.requestIdSuffix());
            }
        }
        while (true) {
            Duration remaining = Duration.between(clock.instant(), deadline);
            if (remaining.isNegative() || remaining.isZero()) {
                throw startTimedOut(app, spec, id);
            }
            long seconds = Math.max(1, Math.min(config.waitChunk().toSeconds(), ceilSeconds(remaining)));
            FlyResponse waited;
            try {
                waited = api.waitForStarted(app, id, seconds);
            } catch (DomainException unreachable) {
                destroyQuietly(app, id); // a machine we cannot watch start is not left running
                throw unreachable;
            }
            if (waited.isSuccess()) {
                return;
            }
            if (waited.status() == 408) {
                continue; // not started yet: poll again until the deadline
            }
            if (waited.isRetryable()) {
                // FlyHttp has already backed off and given up; a machine we cannot watch start is not handed out.
                boolean destroyed = destroyQuietly(app, id);
                LOG.warn("gave up waiting for machine {} of app {}; destroyed: {}", id, app, destroyed);
                throw FlyFailures.unexpected(waited, "waiting for machine " + id + " (" + spec.name() + ") to start");
            }
            if (waited.status() == 404) {
                throw FlyFailures.refused("fly.start_failed", "machine " + id + " (" + spec.name()
                        + ") disappeared before it started; the runner image may exit at once"
                        + waited.requestIdSuffix());
            }
            String state = lastState(app, id);
            throw failedToStart(app, spec, id, state + ", wait answered HTTP " + waited.status()
                    + waited.requestIdSuffix());
        }
    }

    private DomainException startTimedOut(String app, RunnerSpec spec, String id) {
        String state = lastState(app, id);
        boolean destroyed = destroyQuietly(app, id);
        LOG.warn("machine {} ({}) of app {} did not start within {} s (state {}); destroyed: {}", id, spec.name(),
                app, config.startDeadline().toSeconds(), state, destroyed);
        return FlyFailures.retryable("fly.start_timeout", "machine " + id + " (" + spec.name() + ") did not reach "
                + "'started' within " + config.startDeadline().toSeconds() + " s (last state: " + state + "); "
                + (destroyed ? "it was destroyed" : "destroying it failed too, the reconciler will remove it"));
    }

    private DomainException failedToStart(String app, RunnerSpec spec, String id, String state) {
        boolean destroyed = destroyQuietly(app, id);
        return FlyFailures.refused("fly.start_failed", "machine " + id + " (" + spec.name() + ") cannot start "
                + "(state: " + state + "); " + (destroyed ? "it was destroyed" : "destroying it failed too, "
                + "the reconciler will remove it"));
    }

    private String lastState(String app, String id) {
        try {
            return api.machine(app, id).map(FlyJson.Machine::state).orElse("gone");
        } catch (DomainException e) {
            return "unknown";
        }
    }

    private boolean destroyQuietly(String app, String id) {
        try {
            api.destroy(app, id);
            return true;
        } catch (DomainException e) {
            LOG.warn("could not destroy machine {} of app {}: {}", id, app, e.code());
            return false;
        }
    }

    private static long ceilSeconds(Duration duration) {
        long seconds = duration.toSeconds();
        return duration.minusSeconds(seconds).isZero() ? seconds : seconds + 1;
    }

    // ---- reading tags back

    private static Optional<TenantId> tenantOf(String app) {
        if (!app.startsWith(APP_PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(TenantId.of(app.substring(APP_PREFIX.length())));
        } catch (DomainException e) {
            LOG.debug("app {} looks like a tenant app but names no tenant id; not managed here", app);
            return Optional.empty();
        }
    }

    /**
     * The session a machine was tagged with, or {@code null} (an orphan for the reconciler) when the tag is missing,
     * unreadable, or claims another tenant than the app the machine lives in.
     */
    private static SessionId taggedSession(String app, FlyJson.Machine machine, TenantId tenant) {
        String session = machine.metadata().get(MachineBlueprint.SESSION_KEY);
        String taggedTenant = machine.metadata().get(MachineBlueprint.TENANT_KEY);
        if (session == null) {
            return null;
        }
        if (taggedTenant != null && !taggedTenant.equals(tenant.toString())) {
            LOG.warn("machine {} in app {} is tagged with tenant {}; treating it as untagged", machine.id(), app,
                    taggedTenant);
            return null;
        }
        try {
            return SessionId.of(session);
        } catch (DomainException e) {
            return null;
        }
    }

    /** When Fly created it; a machine without a readable date counts as old, so an orphan cannot hide behind it. */
    private static Instant createdAt(FlyJson.Machine machine) {
        for (String text : new String[] {machine.createdAt(), machine.updatedAt()}) {
            if (text != null) {
                try {
                    return OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException e) {
                    // try the next field
                }
            }
        }
        LOG.warn("machine {} has no readable created_at; treating it as old", machine.id());
        return Instant.EPOCH;
    }
}
