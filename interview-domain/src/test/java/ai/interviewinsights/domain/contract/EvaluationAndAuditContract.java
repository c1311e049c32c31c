package ai.interviewinsights.domain.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.audit.AuditEvent;
import ai.interviewinsights.domain.model.evaluation.CompetencyScore;
import ai.interviewinsights.domain.model.evaluation.Evaluation;
import ai.interviewinsights.domain.model.evaluation.EvaluationRef;
import ai.interviewinsights.domain.model.evaluation.EvaluationResult;
import ai.interviewinsights.domain.model.evaluation.EvidenceQuote;
import ai.interviewinsights.domain.model.evaluation.Recommendation;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.testing.Fixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Evaluation results and the append-only audit log. */
public abstract class EvaluationAndAuditContract extends RepositoryContractSupport {

    private Evaluation evaluation(InterviewSession session) {
        return new Evaluation(session.id(), List.of(
                new CompetencyScore("System design", 4, "Considered failure modes unprompted.",
                        List.of(new EvidenceQuote(IdempotencyKey.of("item_3"), "we retried with backoff"),
                                new EvidenceQuote(IdempotencyKey.of("item_5"), "idempotency keys"))),
                new CompetencyScore("Communication", 3, "Clear but long-winded.", List.of())),
                Recommendation.HIRE, "Strong on design, verbose.", "gpt-5-mini", "evaluation-v1");
    }

    @Test
    void the_latest_evaluation_result_is_returned_with_every_detail() {
        TenantId a = newTenant();
        InterviewSession session = newSession(a);
        EvaluationResult failed = EvaluationResult.failed(new EvaluationRef(UUID.randomUUID()), session.id(),
                "rejected twice: invented quote", clock.instant());
        repositories().evaluations().save(SYSTEM, a, failed);
        clock.advance(Duration.ofMinutes(1));
        EvaluationResult succeeded = EvaluationResult.succeeded(new EvaluationRef(UUID.randomUUID()),
                evaluation(session), clock.instant());
        repositories().evaluations().save(SYSTEM, a, succeeded);
        assertEquals(succeeded, repositories().evaluations().findLatest(AccessScope.of(Fixtures.admin(a)), a,
                session.id()).orElseThrow());
    }

    @Test
    void a_failed_evaluation_keeps_its_reason() {
        TenantId a = newTenant();
        InterviewSession session = newSession(a);
        EvaluationResult failed = EvaluationResult.failed(new EvaluationRef(UUID.randomUUID()), session.id(),
                "the interview has no transcript to evaluate", clock.instant());
        repositories().evaluations().save(SYSTEM, a, failed);
        assertEquals(failed, repositories().evaluations().findLatest(SYSTEM, a, session.id()).orElseThrow());
    }

    @Test
    void another_tenant_cannot_read_an_evaluation() {
        TenantId a = newTenant();
        InterviewSession session = newSession(a);
        repositories().evaluations().save(SYSTEM, a, EvaluationResult.succeeded(new EvaluationRef(UUID.randomUUID()),
                evaluation(session), clock.instant()));
        TenantId b = newTenant();
        assertTrue(repositories().evaluations().findLatest(AccessScope.of(Fixtures.admin(b)), a, session.id())
                .isEmpty());
        assertTrue(repositories().evaluations().findLatest(AccessScope.of(Fixtures.admin(b)), b, session.id())
                .isEmpty());
        assertTrue(repositories().evaluations().findLatest(
                AccessScope.of(Fixtures.candidatePrincipal(a, session.id())), a, session.id()).isEmpty());
    }

    @Test
    void the_audit_log_is_appended_by_principals_and_read_by_system_jobs_only() {
        TenantId a = newTenant();
        AccessScope admin = AccessScope.of(Fixtures.admin(a));
        AuditEvent first = new AuditEvent(UUID.randomUUID(), a, "admin:x", "position.created", "position:1",
                clock.instant(), Map.of("k", "v"));
        repositories().audit().record(admin, first);
        clock.advance(Duration.ofSeconds(1));
        AuditEvent second = new AuditEvent(UUID.randomUUID(), a, "admin:x", "session.started", "session:1",
                clock.instant(), Map.of());
        repositories().audit().record(admin, second);
        assertEquals(List.of(second, first), repositories().audit().read(SYSTEM, a, 10));
        assertRefused(() -> repositories().audit().read(admin, a, 10));
    }

    @Test
    void the_events_about_one_subject_are_found_however_many_others_came_after_them() {
        TenantId a = newTenant();
        TenantId b = newTenant();
        AccessScope admin = AccessScope.of(Fixtures.admin(a));
        AuditEvent early = new AuditEvent(UUID.randomUUID(), a, "admin:x", "evaluation.score_overridden",
                "session:1", clock.instant(), Map.of("score", "2"));
        repositories().audit().record(admin, early);
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofSeconds(1));
            repositories().audit().record(admin, new AuditEvent(UUID.randomUUID(), a, "admin:x",
                    i % 2 == 0 ? "session.started" : "evaluation.score_overridden", "session:" + (i + 2),
                    clock.instant(), Map.of()));
        }
        clock.advance(Duration.ofSeconds(1));
        AuditEvent late = new AuditEvent(UUID.randomUUID(), a, "admin:x", "evaluation.score_overridden",
                "session:1", clock.instant(), Map.of("score", "5"));
        repositories().audit().record(admin, late);
        repositories().audit().record(admin, new AuditEvent(UUID.randomUUID(), a, "admin:x", "session.ended",
                "session:1", clock.instant(), Map.of()));
        // Another tenant's events about a subject of the same name are not theirs.
        repositories().audit().record(AccessScope.of(Fixtures.admin(b)), new AuditEvent(UUID.randomUUID(), b,
                "admin:y", "evaluation.score_overridden", "session:1", clock.instant(), Map.of("score", "1")));

        assertEquals(List.of(early, late),
                repositories().audit().about(SYSTEM, a, "session:1", "evaluation.score_overridden"));
        assertEquals(1, repositories().audit().about(SYSTEM, b, "session:1", "evaluation.score_overridden").size());
        assertRefused(() -> repositories().audit().about(admin, a, "session:1", "evaluation.score_overridden"));
    }

    @Test
    void nobody_writes_audit_events_into_another_tenant() {
        TenantId a = newTenant();
        TenantId b = newTenant();
        AuditEvent forged = new AuditEvent(UUID.randomUUID(), a, "admin:b", "session.started", "session:1",
                clock.instant(), Map.of());
        assertRefused(() -> repositories().audit().record(AccessScope.of(Fixtures.admin(b)), forged));
        assertTrue(repositories().audit().read(SYSTEM, a, 10).isEmpty());
    }
}
