package ai.interviewinsights.domain.testing;

import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.runner.LeaseHolder;
import ai.interviewinsights.domain.model.runner.LiveRunner;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.model.runner.RunnerLease;
import ai.interviewinsights.domain.port.out.RunnerLeases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runner leases in memory, with the database's rules: one per session, a takeover only from the runner it names. */
public final class InMemoryRunnerLeases implements RunnerLeases {

    private final Map<SessionId, RunnerLease> leases = new HashMap<>();

    @Override
    public synchronized boolean grant(RunnerLease lease, RunnerId replacing) {
        RunnerLease current = leases.get(lease.session());
        if (current != null && (replacing == null || !current.names(replacing))) {
            return false;
        }
        leases.put(lease.session(), lease);
        return true;
    }

    @Override
    public synchronized Optional<RunnerLease> find(SessionId session) {
        return Optional.ofNullable(leases.get(session));
    }

    @Override
    public synchronized List<LiveRunner> renew(LeaseHolder holder, List<LiveRunner> running, Instant now,
                                               Instant until) {
        List<LiveRunner> lost = new ArrayList<>();
        for (LiveRunner runner : running) {
            RunnerLease lease = runner.session() == null ? null : leases.get(runner.session());
            if (lease == null || !lease.names(runner.runnerId()) || !lease.holder().equals(holder)) {
                lost.add(runner);
            } else {
                leases.put(lease.session(), new RunnerLease(lease.session(), lease.tenant(), lease.runner(),
                        holder, now, until));
            }
        }
        return lost;
    }

    @Override
    public synchronized void release(SessionId session, RunnerId runner) {
        leases.computeIfPresent(session, (id, lease) -> lease.names(runner) ? null : lease);
    }

    @Override
    public synchronized int releaseAll(LeaseHolder holder) {
        int before = leases.size();
        leases.values().removeIf(lease -> lease.holder().equals(holder));
        return before - leases.size();
    }
}
