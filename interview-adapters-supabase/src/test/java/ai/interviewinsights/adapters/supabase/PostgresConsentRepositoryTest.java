package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.interviewinsights.domain.contract.ConsentRepositoryContract;
import ai.interviewinsights.domain.port.out.ConsentRepository;
import ai.interviewinsights.domain.testing.RepositorySet;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The domain's contract on a real PostgreSQL under row-level security; and the records are append-only. */
class PostgresConsentRepositoryTest extends ConsentRepositoryContract {

    @Override
    protected RepositorySet repositories() {
        return TestDatabase.repositories();
    }

    @Override
    protected ConsentRepository consents() {
        return TestDatabase.store().consents();
    }

    @Test
    void consent_records_cannot_be_changed_or_deleted_even_by_the_superuser() throws SQLException {
        try (Connection c = TestDatabase.superuser().getConnection(); Statement s = c.createStatement()) {
            assertThrows(SQLException.class, () -> s.execute("update interview.consents set recording = false"
                    + " where id in (select id from interview.consents limit 1)"
                    + " or true"));
            assertThrows(SQLException.class, () -> s.execute("delete from interview.consents"));
        }
    }
}
