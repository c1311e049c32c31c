package ai.interviewinsights.domain.fakes;

import ai.interviewinsights.domain.contract.InviteRepositoryContract;
import ai.interviewinsights.domain.testing.InMemoryRepositories;
import ai.interviewinsights.domain.testing.RepositorySet;

/** The in-memory fake holds to the same contract as the real database. */
class InMemoryInviteRepositoryTest extends InviteRepositoryContract {

    private final RepositorySet repositories = InMemoryRepositories.create().set();

    @Override
    protected RepositorySet repositories() {
        return repositories;
    }
}
