package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.runner.LiveRunner;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.runner.RunnerSpec;
import java.util.List;

/**
 * Starts and stops the isolated runner of each interview session: a Fly Machine in production, a local OS process by
 * default, an in-process runner in tests.
 */
public interface RunnerProvisioner {

    /**
     * Starts the session's runner and returns once it can take connections. Idempotent per session: provisioning
     * the same session again (a retry after a timeout) returns the runner already there instead of a second one.
     */
    RunnerRef provision(RunnerSpec spec);

    /** Destroys a runner. One that is already gone counts as destroyed. */
    void destroy(TenantId tenant, RunnerId runnerId);

    /** Every runner that exists now, with the tenant and session it was tagged with. */
    List<LiveRunner> listLive();

    /**
     * The runners this control-plane instance itself runs and can vouch for without asking anyone (local processes
     * it started and that still run): it renews their leases (ADR 0018). Empty for a provider any instance can ask
     * about a runner (Fly's machines API), the default.
     */
    default List<LiveRunner> runningHere() {
        return List.of();
    }

    /**
     * Whether {@link #isAlive} answers for every runner of the provider, whichever control-plane instance started it
     * (Fly's machines API, the default). False for runners only their own instance can see (local processes): their
     * liveness elsewhere is their lease's (ADR 0018).
     */
    default boolean seesEveryRunner() {
        return true;
    }

    /**
     * Whether this runner exists and runs now. A candidate who comes back to a session whose runner is gone (the
     * control plane restarted, the machine died) is given a fresh runner instead of a dead link.
     */
    default boolean isAlive(TenantId tenant, ai.interviewinsights.domain.model.runner.RunnerId runnerId) {
        return listLive().stream().anyMatch(r -> r.runnerId().equals(runnerId) && r.tenant().equals(tenant));
    }
}
