package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.runner.LeaseHolder;
import ai.interviewinsights.domain.model.runner.LiveRunner;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.model.runner.RunnerLease;
import ai.interviewinsights.domain.port.out.RunnerLeases;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The leases of ports built without a lease store (one instance, embedders, tests): nothing is recorded, so a
 * runner's liveness is whatever the provisioner says, as before leases existed.
 */
enum UnrecordedLeases implements RunnerLeases {
    INSTANCE;

    @Override
    public boolean grant(RunnerLease lease, RunnerId replacing) {
        return true;
    }

    @Override
    public Optional<RunnerLease> find(SessionId session) {
        return Optional.empty();
    }

    @Override
    public List<LiveRunner> renew(LeaseHolder holder, List<LiveRunner> running, Instant now, Instant until) {
        return List.of();
    }

    @Override
    public void release(SessionId session, RunnerId runner) {
    }

    @Override
    public int releaseAll(LeaseHolder holder) {
        return 0;
    }
}
