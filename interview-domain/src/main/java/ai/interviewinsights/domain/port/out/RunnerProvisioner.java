package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.runner.LiveRunner;
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
    void destroy(TenantId tenant, String runnerId);

    /** Every runner that exists now, with the tenant and session it was tagged with. */
    List<LiveRunner> listLive();

    /**
     * Whether this runner exists and runs now. A candidate who comes back to a session whose runner is gone (the
     * control plane restarted, the machine died) is given a fresh runner instead of a dead link.
     */
    default boolean isAlive(TenantId tenant, String runnerId) {
        return listLive().stream().anyMatch(r -> r.runnerId().equals(runnerId) && r.tenant().equals(tenant));
    }
}
