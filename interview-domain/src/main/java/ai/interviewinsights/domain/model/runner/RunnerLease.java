package ai.interviewinsights.domain.model.runner;

import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import java.time.Duration;
import java.time.Instant;

/**
 * Which runner serves a session, where it listens, and which control-plane instance vouches that it is alive, until
 * when. A lease is granted when a runner is started (or takes over) for a session, renewed by its holder while the
 * runner runs, and released when the session ends. Any instance reading it knows where the session's runner is;
 * a lease that has expired means its runner (or the instance that ran it) is gone, and the session may be given a
 * fresh runner.
 *
 * @param renewedAt when the holder last vouched for the runner
 * @param expiresAt after this the runner counts as gone unless renewed again
 */
public record RunnerLease(SessionId session, TenantId tenant, RunnerRef runner, LeaseHolder holder,
                          Instant renewedAt, Instant expiresAt) {

    public RunnerLease {
        Require.present(session, "session_id");
        Require.present(tenant, "tenant_id");
        Require.present(runner, "runner");
        Require.present(holder, "lease_holder");
        Require.present(renewedAt, "renewed_at");
        Require.present(expiresAt, "expires_at");
        if (expiresAt.isBefore(renewedAt)) {
            throw new IllegalArgumentException("a lease expires after it was renewed");
        }
    }

    /** A new lease, from {@code now} for {@code ttl}. */
    public static RunnerLease grant(SessionId session, TenantId tenant, RunnerRef runner, LeaseHolder holder,
                                    Instant now, Duration ttl) {
        return new RunnerLease(session, tenant, runner, holder, now, now.plus(ttl));
    }

    /** Whether the holder still vouches for the runner at {@code now}. */
    public boolean isLiveAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    /** Whether this lease is for that very runner. */
    public boolean names(RunnerId runnerId) {
        return runner.runnerId().equals(runnerId);
    }
}
