package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.runner.LeaseHolder;
import ai.interviewinsights.domain.model.runner.LiveRunner;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.model.runner.RunnerLease;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The runner leases every control-plane instance shares (ADR 0018): which runner serves each live session, where,
 * and which instance vouches for it until when. At most one lease per session. Platform bookkeeping, not tenant
 * data: callers are the control plane's own jobs, never a tenant's principal.
 */
public interface RunnerLeases {

    /**
     * Grants {@code lease} if the session has no lease, or if its lease still names {@code replacing} (the runner
     * this one takes over from; null for a session's first runner). Of two instances replacing the same lost runner
     * at once exactly one wins; the other is told, and must stop the runner it started.
     *
     * @return whether the lease was granted
     */
    boolean grant(RunnerLease lease, RunnerId replacing);

    /** The session's lease, live or expired. */
    Optional<RunnerLease> find(SessionId session);

    /**
     * Extends the leases {@code holder} holds for the runners it runs, until {@code until}. Returns the runners that
     * hold no lease any more (their session ended elsewhere, or another instance gave it a fresh runner): their
     * holder stops them, so a session never has two runners for long.
     */
    List<LiveRunner> renew(LeaseHolder holder, List<LiveRunner> running, Instant now, Instant until);

    /** Ends the session's lease if it still names that runner (a lease taken over by another runner stays). */
    void release(SessionId session, RunnerId runner);

    /** Ends every lease of {@code holder} (its runners were stopped: it shuts down, or restarted). Returns how many. */
    int releaseAll(LeaseHolder holder);
}
