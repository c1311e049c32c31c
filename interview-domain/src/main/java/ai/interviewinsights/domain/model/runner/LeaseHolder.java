package ai.interviewinsights.domain.model.runner;

import ai.interviewinsights.domain.model.Require;

/**
 * The control-plane instance that runs a runner and vouches for it by renewing its lease: for local processes, the
 * host and data directory the processes were started from (stable across a restart of the same instance, distinct
 * between instances), so a restarted instance recognises the leases its killed predecessor left behind as its own.
 */
public record LeaseHolder(String value) {

    public LeaseHolder {
        value = Require.text(value, "lease_holder", 200);
    }

    @Override
    public String toString() {
        return value;
    }
}
