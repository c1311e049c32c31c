package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.contract.EvaluationAndAuditContract;
import ai.interviewinsights.domain.model.audit.AuditEvent;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.evaluation.EvaluationRef;
import ai.interviewinsights.domain.model.evaluation.EvaluationResult;
import ai.interviewinsights.domain.model.session.InterviewSession;
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

    /**
     * V29: failed evaluations recorded before it quoted the words at fault (or an entry key the model made up, which
     * may be words too) in their failure reason, which is in clear: the migration rewrites them to the wording the app
     * records now, and leaves every other reason as it was. Run here against rows written the old way.
     */
    @Test
    void v29_rewrites_old_failure_reasons_without_the_interviews_words() throws Exception {
        TenantId a = newTenant();
        Map<String, String> rewritten = Map.of(
                "rejected twice: evidence for 'Design' quotes \"I led the \"Kafka\" migration\", which does not occur"
                        + " in entry item_3",
                "rejected twice: evidence for 'Design' quotes words that do not occur in entry item_3",
                "rejected twice: evidence for 'Design' cites 'I_designed_Kafka_at_Acme', which is not a transcript"
                        + " entry key",
                "rejected twice: evidence for 'Design' cites something that is not a transcript entry key",
                "rejected twice: evidence for 'Design' cites entry I_designed_Kafka, which is not in the transcript",
                "rejected twice: evidence for 'Design' cites an entry that is not in the transcript",
                "the interview has no transcript to evaluate", "the interview has no transcript to evaluate");
        Map<UUID, String> expected = new java.util.HashMap<>();
        for (Map.Entry<String, String> reason : rewritten.entrySet()) {
            InterviewSession session = newSession(a);
            EvaluationRef ref = new EvaluationRef(UUID.randomUUID());
            repositories().evaluations().save(SYSTEM, a, EvaluationResult.failed(ref, session.id(), reason.getKey(),
                    clock.instant()));
            expected.put(ref.value(), reason.getValue());
        }
        String v29 = new String(getClass().getResourceAsStream(
                "/db/migration/V29__evaluation_failures_without_quotes.sql").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        org.jdbi.v3.core.Jdbi owner = org.jdbi.v3.core.Jdbi.create(TestDatabase.superuser());
        for (int run = 0; run < 2; run++) { // re-runnable: the second run changes nothing
            owner.useHandle(handle -> handle.createScript(v29).execute());
            for (Map.Entry<UUID, String> row : expected.entrySet()) {
                assertEquals(row.getValue(), owner.withHandle(handle -> handle.createQuery(
                                "select failure_reason from interview.evaluations where id = :id")
                        .bind("id", row.getKey()).mapTo(String.class).one()));
            }
        }
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
