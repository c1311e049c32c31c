package ai.interviewinsights.domain.service;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.evaluation.EvaluationResult;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.model.transcript.ClientEntry;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.port.in.GetInterviewReportUseCase.InterviewReport;
import ai.interviewinsights.domain.port.in.NegotiateSdpUseCase.NegotiateSdp;
import ai.interviewinsights.domain.port.in.ReviewEvaluationUseCase.ScoreOverride;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.port.in.StartedInterview;
import ai.interviewinsights.domain.runner.InterviewRunner;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retrying a failed evaluation, and a reviewer's override beside (never over) the model's score. */
class ReviewScenarioTest {

    private InMemoryInterviewPlatform platform;
    private Principal admin;
    private Position position;
    private Candidate candidate;

    @BeforeEach
    void a_company_with_a_position_and_a_candidate() {
        platform = new InMemoryInterviewPlatform();
        platform.registerTenant(ACME);
        admin = Fixtures.admin(ACME);
        position = platform.services.positions().create(admin, "Backend Engineer", "Payments",
                List.of(new Competency("System design", "Designs for failure", 3)));
        candidate = platform.services.candidates().create(admin, "Ada Lovelace", null);
    }

    private StartedInterview interviewWhoseEvaluationFails() {
        StartedInterview started = platform.services.startInterview().start(new StartInterview(admin,
                candidate.id(), position.id(), null));
        var runner = platform.runnerFor(ACME, started.session().id(), new InterviewRunner.Observer() { });
        runner.negotiate(new NegotiateSdp(Fixtures.resource("sdp/chrome-offer.sdp")));
        Instant t = platform.clock.instant();
        runner.acceptClientEntries(List.of(
                new ClientEntry(null, "a1", null, Speaker.AI, "Tell me about a system you built.", t, false),
                new ClientEntry(null, "u1", "a1", Speaker.CANDIDATE, "A ledger that survives retries.", t, false)));
        platform.evaluator.inventQuotesFor(2); // both attempts quote words nobody said: rejected twice
        runner.end(EndReason.CANDIDATE_ENDED, null, List.of());
        platform.clock.advance(java.time.Duration.ofMinutes(5)); // a reviewer looks at it later
        return started;
    }

    @Test
    void a_failed_evaluation_is_retried_and_the_failure_is_kept() {
        StartedInterview started = interviewWhoseEvaluationFails();
        InterviewReport before = platform.services.interviewReport().report(admin, started.session().id());
        assertEquals(SessionStatus.COMPLETED, before.session().status());
        assertFalse(before.evaluation().orElseThrow().isSuccess());

        EvaluationResult retried = platform.services.reviewEvaluation().retry(Fixtures.interviewer(ACME),
                started.session().id());
        assertTrue(retried.isSuccess(), retried.failure().orElse(""));
        assertTrue(platform.services.interviewReport().report(admin, started.session().id()).evaluation()
                .orElseThrow().isSuccess());
        assertEquals("evaluation.not_failed", assertThrows(DomainException.class,
                () -> platform.services.reviewEvaluation().retry(admin, started.session().id())).code());
    }

    @Test
    void an_override_sits_beside_the_models_score_with_its_reason() {
        StartedInterview started = interviewWhoseEvaluationFails();
        var review = platform.services.reviewEvaluation();
        assertEquals("evaluation.missing", assertThrows(DomainException.class, () -> review.override(admin,
                started.session().id(), "System design", 4, "Strong answer")).code());
        review.retry(admin, started.session().id());

        ScoreOverride override = review.override(admin, started.session().id(), "System design", 5,
                "Explained idempotency keys clearly");
        assertEquals(3, override.modelScore());
        assertEquals(5, override.score());
        assertEquals("Explained idempotency keys clearly", override.reason());
        assertEquals(List.of(override), review.overrides(admin, started.session().id()));
        assertEquals(3, platform.services.interviewReport().report(admin, started.session().id()).evaluation()
                .orElseThrow().value().orElseThrow().scores().get(0).score(), "the model's score is untouched");

        assertEquals("invalid.score", assertThrows(DomainException.class, () -> review.override(admin,
                started.session().id(), "System design", 6, "too high")).code());
        assertEquals("invalid.reason", assertThrows(DomainException.class, () -> review.override(admin,
                started.session().id(), "System design", 4, " ")).code());
        assertEquals("evaluation.unknown_competency", assertThrows(DomainException.class, () -> review.override(
                admin, started.session().id(), "Juggling", 4, "why not")).code());
        Principal stranger = Fixtures.admin(new TenantId(UUID.randomUUID()));
        assertThrows(DomainException.class, () -> review.override(stranger, started.session().id(),
                "System design", 1, "hostile"));
        assertThrows(DomainException.class, () -> review.overrides(stranger, started.session().id()));
        assertThrows(DomainException.class, () -> review.override(Fixtures.candidatePrincipal(ACME,
                started.session().id()), started.session().id(), "System design", 5, "self-review"));
    }

    @Test
    void an_override_stays_on_the_report_however_many_events_the_tenant_logs_after_it_and_only_there() {
        StartedInterview started = interviewWhoseEvaluationFails();
        var review = platform.services.reviewEvaluation();
        review.retry(admin, started.session().id());
        ScoreOverride override = review.override(admin, started.session().id(), "System design", 5,
                "Explained idempotency keys clearly");
        // A busy tenant: 6,000 more audit events after the override (the old read looked at the last 5,000 only).
        for (int i = 0; i < 6000; i++) {
            platform.repositories.audit().record(ai.interviewinsights.domain.model.identity.AccessScope.of(admin),
                    new ai.interviewinsights.domain.model.audit.AuditEvent(UUID.randomUUID(), ACME, "admin:x",
                            i % 3 == 0 ? "evaluation.score_overridden" : "session.started", "session:" + UUID.randomUUID(),
                            platform.clock.instant(), java.util.Map.of("competency", "x", "model_score", "1",
                                    "score", "1", "reason", "other", "evaluation", "e")));
        }
        assertEquals(List.of(override), review.overrides(admin, started.session().id()));

        // A hostile tenant with a session of its own sees none of it, nor can it ask about ACME's session.
        platform.registerTenant(Fixtures.GLOBEX);
        Principal globex = Fixtures.admin(Fixtures.GLOBEX);
        assertThrows(DomainException.class, () -> review.overrides(globex, started.session().id()));
        assertThrows(DomainException.class, () -> review.override(globex, started.session().id(), "System design",
                1, "hostile"));
        assertEquals(List.of(override), review.overrides(admin, started.session().id()), "nothing was added");
    }
}
