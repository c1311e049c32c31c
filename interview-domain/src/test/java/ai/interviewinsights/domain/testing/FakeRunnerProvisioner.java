package ai.interviewinsights.domain.testing;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.runner.LiveRunner;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.runner.RunnerSpec;
import ai.interviewinsights.domain.port.out.RunnerProvisioner;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runners as records in memory, keyed by their deterministic name so provisioning is idempotent, like the real
 * provisioners. Keeps the specs it was given so tests can check tokens and tags.
 */
public final class FakeRunnerProvisioner implements RunnerProvisioner {

    private final Clock clock;
    private final Map<String, Runner> runners = new LinkedHashMap<>();
    private final List<RunnerId> destroyed = new ArrayList<>();
    private int created;
    private DomainException nextFailure;

    /** A runner the fake holds. */
    public record Runner(RunnerRef ref, RunnerSpec spec, LiveRunner live) {
    }

    private final String idPrefix;

    public FakeRunnerProvisioner(Clock clock) {
        this(clock, "runner-");
    }

    /** With runner ids of its own ({@code prefix1}, ...), as another instance's processes would have. */
    public FakeRunnerProvisioner(Clock clock, String idPrefix) {
        this.clock = clock;
        this.idPrefix = idPrefix;
    }

    @Override
    public synchronized RunnerRef provision(RunnerSpec spec) {
        if (nextFailure != null) {
            DomainException failure = nextFailure;
            nextFailure = null;
            throw failure;
        }
        Runner existing = runners.get(spec.name().value());
        if (existing != null) {
            if (!spec.session().equals(existing.live().session())) {
                throw DomainException.conflict("runner.name_collision", "runner name " + spec.name()
                        + " is taken by another session");
            }
            return existing.ref();
        }
        RunnerId id = new RunnerId(idPrefix + (++created));
        RunnerRef ref = new RunnerRef(id, spec.name(),
                URI.create("wss://" + spec.app() + ".example.test/ws?instance=" + id));
        runners.put(spec.name().value(), new Runner(ref, spec,
                new LiveRunner(id, spec.tenant(), spec.session(), clock.instant())));
        return ref;
    }

    @Override
    public synchronized void destroy(TenantId tenant, RunnerId runnerId) {
        runners.values().removeIf(r -> r.ref().runnerId().equals(runnerId) && r.live().tenant().equals(tenant));
        destroyed.add(runnerId);
    }

    @Override
    public synchronized List<LiveRunner> listLive() {
        return runners.values().stream().map(Runner::live).toList();
    }

    /** Like local processes, the fake's runners are seen by its own instance only. */
    @Override
    public boolean seesEveryRunner() {
        return false;
    }

    /** Every runner of the fake runs "here": it is the provisioner of one control-plane instance. */
    @Override
    public synchronized List<LiveRunner> runningHere() {
        return listLive();
    }

    /** Adds a runner the control plane never asked for (an orphan from a crashed deploy). */
    public synchronized void addOrphan(String orphanId, TenantId tenant, SessionId sessionOrNull) {
        RunnerId runnerId = new RunnerId(orphanId);
        RunnerRef ref = new RunnerRef(runnerId, new ai.interviewinsights.domain.model.runner.RunnerName(
                "interview-hybrid-orphan-" + runners.size()), URI.create("wss://orphan.example.test/ws"));
        runners.put("orphan-" + runnerId, new Runner(ref, null,
                new LiveRunner(runnerId, tenant, sessionOrNull, clock.instant())));
    }

    public synchronized Optional<Runner> runnerFor(SessionId session) {
        return runners.values().stream().filter(r -> session.equals(r.live().session())).findFirst();
    }

    public synchronized List<RunnerId> destroyedIds() {
        return List.copyOf(destroyed);
    }

    public synchronized int liveCount() {
        return runners.size();
    }

    public synchronized void failNextProvision(DomainException failure) {
        this.nextFailure = failure;
    }
}
