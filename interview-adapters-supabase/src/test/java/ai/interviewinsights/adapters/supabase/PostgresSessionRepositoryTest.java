package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.contract.SessionRepositoryContract;
import ai.interviewinsights.domain.testing.RepositorySet;

/** The domain's contract, held against the real repositories on a real PostgreSQL under row-level security. */
class PostgresSessionRepositoryTest extends SessionRepositoryContract {

    @Override
    protected RepositorySet repositories() {
        return TestDatabase.repositories();
    }
}
