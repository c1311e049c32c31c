package ai.interviewinsights.domain.model.runner;

import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import java.time.Instant;

/**
 * A runner the provider reports as existing, with the session and tenant it was tagged with at provisioning.
 * The reconciler compares these against the sessions it knows to find orphans.
 *
 * @param tenant    the tenant whose app (or process group) the runner lives in
 * @param session   the tagged session, or {@code null} when the runner carries no readable tag (an orphan)
 * @param createdAt when the provider created it, for the reconciler's grace period
 */
public record LiveRunner(RunnerId runnerId, TenantId tenant, SessionId session, Instant createdAt) {

    public LiveRunner {
        Require.present(runnerId, "runner_id");
        Require.present(tenant, "tenant_id");
        Require.present(createdAt, "created_at");
    }
}
