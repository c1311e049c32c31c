package ai.interviewinsights.domain.model.runner;

import ai.interviewinsights.domain.model.Require;

/**
 * The provider's id of one runner: a Fly machine id, a local process's id. Opaque to the domain, which only stores
 * it, compares it and hands it back to the provisioner that issued it.
 */
public record RunnerId(String value) {

    public RunnerId {
        value = Require.text(value, "runner_id", 200);
    }

    @Override
    public String toString() {
        return value;
    }
}
