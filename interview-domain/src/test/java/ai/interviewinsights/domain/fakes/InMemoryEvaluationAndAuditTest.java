package ai.interviewinsights.domain.fakes;

import ai.interviewinsights.domain.contract.EvaluationAndAuditContract;
import ai.interviewinsights.domain.testing.InMemoryRepositories;
import ai.interviewinsights.domain.testing.RepositorySet;

/** The in-memory fake holds to the same contract as the real database. */
class InMemoryEvaluationAndAuditTest extends EvaluationAndAuditContract {

    private final RepositorySet repositories = InMemoryRepositories.create().set();

    @Override
    protected RepositorySet repositories() {
        return repositories;
    }
}
