package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.contract.InviteRepositoryContract;
import ai.interviewinsights.domain.testing.RepositorySet;

/** The domain's contract, held against the real repositories on a real PostgreSQL under row-level security. */
class PostgresInviteRepositoryTest extends InviteRepositoryContract {

    @Override
    protected RepositorySet repositories() {
        return TestDatabase.repositories();
    }
}
