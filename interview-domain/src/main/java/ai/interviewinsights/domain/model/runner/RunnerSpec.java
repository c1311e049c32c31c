package ai.interviewinsights.domain.model.runner;

import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.interview.Architecture;
import java.time.Duration;

/**
 * What a provisioner needs to start one session's runner. The runner token lets the runner act for this session
 * only (post its transcript and status to the control plane); the client-token key lets it check the browser's
 * token without being able to mint tokens for any other session.
 *
 * @param clientTokenKey key the runner verifies its clients' session tokens with (scoped to this session)
 * @param maxDuration    the interview's budget; a provisioner may use it to bound the runner's lifetime
 */
public record RunnerSpec(SessionId session, TenantId tenant, CandidateId candidate, PositionId position,
                         Architecture architecture, Secret runnerToken, Secret clientTokenKey, Duration maxDuration) {

    public RunnerSpec {
        Require.present(session, "session_id");
        Require.present(tenant, "tenant_id");
        Require.present(candidate, "candidate_id");
        Require.present(position, "position_id");
        Require.present(architecture, "architecture");
        Require.present(runnerToken, "runner_token");
        Require.present(clientTokenKey, "client_token_key");
        Require.present(maxDuration, "max_duration");
    }

    public RunnerName name() {
        return RunnerName.of(architecture, tenant, session);
    }

    public TenantAppName app() {
        return TenantAppName.of(tenant);
    }
}
