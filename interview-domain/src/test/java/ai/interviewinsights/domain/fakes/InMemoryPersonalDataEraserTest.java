package ai.interviewinsights.domain.fakes;

import ai.interviewinsights.domain.contract.PersonalDataEraserContract;
import ai.interviewinsights.domain.port.out.PersonalDataEraser;
import ai.interviewinsights.domain.testing.InMemoryRepositories;
import ai.interviewinsights.domain.testing.RepositorySet;

/** The in-memory fake holds to the same contract as the real database. */
class InMemoryPersonalDataEraserTest extends PersonalDataEraserContract {

    private final InMemoryRepositories store = InMemoryRepositories.create();

    @Override
    protected RepositorySet repositories() {
        return store.set();
    }

    @Override
    protected PersonalDataEraser eraser() {
        return store.erasure();
    }
}
