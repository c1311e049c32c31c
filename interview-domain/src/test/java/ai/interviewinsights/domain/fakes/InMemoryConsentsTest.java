package ai.interviewinsights.domain.fakes;

import ai.interviewinsights.domain.contract.ConsentRepositoryContract;
import ai.interviewinsights.domain.port.out.ConsentRepository;
import ai.interviewinsights.domain.testing.InMemoryConsents;
import ai.interviewinsights.domain.testing.InMemoryRepositories;
import ai.interviewinsights.domain.testing.RepositorySet;

/** The in-memory fake holds the same contract as the PostgreSQL repository. */
class InMemoryConsentsTest extends ConsentRepositoryContract {

    private final InMemoryRepositories repositories = InMemoryRepositories.create();
    private final InMemoryConsents consents = new InMemoryConsents();

    @Override
    protected RepositorySet repositories() {
        return repositories.set();
    }

    @Override
    protected ConsentRepository consents() {
        return consents;
    }
}
