package ai.interviewinsights.domain.model.runner;

import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.interview.Architecture;

/**
 * The name of one session's runner, from the design documents:
 * {@code interview-{architecture}-{tenantId}-{sessionShortId}} where the short id is the first 8 hex characters
 * of the session UUID. Deterministic on purpose: provisioning the same session twice must find the same name,
 * which is how a retried provision avoids creating a second machine.
 */
public record RunnerName(String value) {

    public RunnerName {
        DnsLabel.check(value, "runner_name");
        if (!value.startsWith("interview-")) {
            throw new IllegalArgumentException("runner names start with 'interview-'");
        }
    }

    public static RunnerName of(Architecture architecture, TenantId tenant, SessionId session) {
        return new RunnerName("interview-" + architecture.wireName() + "-" + tenant + "-" + session.shortId());
    }

    @Override
    public String toString() {
        return value;
    }
}
