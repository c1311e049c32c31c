package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.contract.EvaluationAndAuditContract;
import ai.interviewinsights.domain.model.audit.AuditEvent;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.RepositorySet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The domain's contract, held against the real repositories on a real PostgreSQL under row-level security. */
class PostgresEvaluationAndAuditTest extends EvaluationAndAuditContract {

    private static final AccessScope SYSTEM_JOB = AccessScope.system("postgres-audit-test");

    @Override
    protected RepositorySet repositories() {
        return TestDatabase.repositories();
    }

    @Test
    void an_override_older_than_the_tenants_last_6000_events_is_still_found_and_only_by_its_tenant() {
        TenantId a = newTenant();
        TenantId hostile = newTenant();
        AccessScope admin = AccessScope.of(Fixtures.admin(a));
        AuditEvent override = new AuditEvent(UUID.randomUUID(), a, "admin:x", "evaluation.score_overridden",
                "session:old", clock.instant(), Map.of("score", "5", "reason", "clear answer"));
        repositories().audit().record(admin, override);
        // 6,000 newer events of the same tenant, written as the tenant's own principal (what RLS allows it).
        RawSql.as(admin, handle -> handle.createUpdate("""
                        insert into interview.audit_log (id, tenant_id, actor, action, subject, at, details)
                        select gen_random_uuid(), :tenant, 'admin:x', 'session.started', 'session:' || n,
                               cast(:at as timestamptz) + n * interval '1 millisecond', '{}'::jsonb
                          from generate_series(1, 6000) as n""")
                .bind("tenant", a.value())
                .bind("at", clock.instant().toString())
                .execute());

        assertTrue(repositories().audit().read(SYSTEM_JOB, a, 5000).stream().noneMatch(override::equals),
                "a window over the latest 5,000 events would have lost it");
        assertEquals(List.of(override),
                repositories().audit().about(SYSTEM_JOB, a, "session:old", "evaluation.score_overridden"));
        assertEquals(List.of(),
                repositories().audit().about(SYSTEM_JOB, hostile, "session:old", "evaluation.score_overridden"),
                "another tenant asking about the same subject sees nothing");
        // A principal's own transaction cannot read the audit log at all (only system jobs may).
        assertTrue(RawSql.attempt(AccessScope.of(Fixtures.admin(hostile)),
                "select count(*) from interview.audit_log").refused());
    }
}
