package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.contract.PersonalDataEraserContract;
import ai.interviewinsights.domain.model.consent.ConsentRecord;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.port.out.PersonalDataEraser;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.RepositorySet;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

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

    /** Consent rows are append-only (V5), yet an erasure takes them with the candidate's sessions (V21). */
    @Test
    void a_candidate_who_consented_is_erased_with_the_consent_and_consent_stays_append_only_otherwise()
            throws SQLException {
        TenantId tenant = newTenant();
        InterviewSession erased = newSession(tenant);
        InterviewSession kept = newSession(tenant);
        for (InterviewSession session : new InterviewSession[] {erased, kept}) {
            assertTrue(TestDatabase.store().consents().record(SYSTEM, new ConsentRecord(UUID.randomUUID(), tenant,
                    session.id(), "v1", "An AI conducts and evaluates this interview.", true, false,
                    clock.instant(), "candidate:" + session.id().value())));
        }
        try (Connection c = TestDatabase.superuser().getConnection(); Statement s = c.createStatement()) {
            assertThrows(SQLException.class, () -> s.execute("delete from interview.consents where session_id = '"
                    + kept.id().value() + "'"), "outside an erasure a consent row cannot be deleted");
        }

        AccessScope admin = AccessScope.of(Fixtures.admin(tenant));
        assertEquals(1, eraser().erase(admin, tenant, erased.candidate()).candidates());

        assertTrue(TestDatabase.store().consents().find(SYSTEM, erased.id()).isEmpty(), "the consent went too");
        assertTrue(TestDatabase.store().consents().find(SYSTEM, kept.id()).isPresent(), "other consents stay");
        assertEquals(1, eraser().erase(SYSTEM, tenant, kept.candidate()).candidates(), "a system job erases too");
        assertTrue(TestDatabase.store().consents().find(SYSTEM, kept.id()).isEmpty());
    }
}
