package ai.interviewinsights.domain.fakes;

import ai.interviewinsights.domain.contract.RunnerLeasesContract;
import ai.interviewinsights.domain.port.out.RunnerLeases;
import ai.interviewinsights.domain.testing.InMemoryRepositories;
import ai.interviewinsights.domain.testing.InMemoryRunnerLeases;
import ai.interviewinsights.domain.testing.RepositorySet;

/** The in-memory fake holds to the same contract as the real database. */
class InMemoryRunnerLeasesTest extends RunnerLeasesContract {

    private final RepositorySet repositories = InMemoryRepositories.create().set();
    private final RunnerLeases leases = new InMemoryRunnerLeases();

    @Override
    protected RepositorySet repositories() {
        return repositories;
    }

    @Override
    protected RunnerLeases leases() {
        return leases;
    }
}
