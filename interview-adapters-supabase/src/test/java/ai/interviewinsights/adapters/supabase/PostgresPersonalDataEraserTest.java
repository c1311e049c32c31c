package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.contract.PersonalDataEraserContract;
import ai.interviewinsights.domain.port.out.PersonalDataEraser;
import ai.interviewinsights.domain.testing.RepositorySet;

/** The domain's contract, held against crypto-shredding and deletion on a real PostgreSQL under row-level security. */
class PostgresPersonalDataEraserTest extends PersonalDataEraserContract {

    @Override
    protected RepositorySet repositories() {
        return TestDatabase.repositories();
    }

    @Override
    protected PersonalDataEraser eraser() {
        return TestDatabase.store().erasure();
    }
}
