package ai.interviewinsights.domain.fakes;

import ai.interviewinsights.domain.contract.CatalogRepositoryContract;
import ai.interviewinsights.domain.testing.InMemoryRepositories;
import ai.interviewinsights.domain.testing.RepositorySet;

/** The in-memory fake holds to the same contract as the real database. */
class InMemoryCatalogRepositoryTest extends CatalogRepositoryContract {

    private final RepositorySet repositories = InMemoryRepositories.create().set();

    @Override
    protected RepositorySet repositories() {
        return repositories;
    }
}
