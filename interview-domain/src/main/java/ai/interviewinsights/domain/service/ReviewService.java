package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.audit.AuditEvent;
import ai.interviewinsights.domain.model.evaluation.CompetencyScore;
import ai.interviewinsights.domain.model.evaluation.EvaluationResult;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.port.in.ReviewEvaluationUseCase;
import ai.interviewinsights.domain.port.out.AuditLog;
import ai.interviewinsights.domain.port.out.EvaluationRepository;
import ai.interviewinsights.domain.port.out.PositionRepository;
import ai.interviewinsights.domain.port.out.TranscriptRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Retrying a failed evaluation and reviewers' score overrides. An override is an audit event (who, when, which
 * evaluation, the model's score, the reviewer's score, the reason): append-only, and the model's score is never
 * touched. Reading them back is a system read of the session's override events (filtered in SQL, however many
 * other events the tenant has logged since), after the staff check and the tenant wall (decision 0019).
 */
final class ReviewService implements ReviewEvaluationUseCase {

    private static final String OVERRIDE = "evaluation.score_overridden";

    private final PositionRepository positions;
    private final TranscriptRepository transcripts;
    private final EvaluationRepository evaluations;
    private final AuditLog auditLog;
    private final SessionStore store;
    private final Audit audit;
    private final EvaluationService evaluation;

    ReviewService(PositionRepository positions, TranscriptRepository transcripts, EvaluationRepository evaluations,
                  AuditLog auditLog, SessionStore store, Audit audit, EvaluationService evaluation) {
        this.positions = positions;
        this.transcripts = transcripts;
        this.evaluations = evaluations;
        this.auditLog = auditLog;
        this.store = store;
        this.audit = audit;
        this.evaluation = evaluation;
    }

    @Override
    public EvaluationResult retry(Principal staff, SessionId id) {
        Access.requireStaff(staff);
        AccessScope scope = AccessScope.of(staff);
        InterviewSession session = store.load(scope, id);
        if (session.status() != SessionStatus.COMPLETED) {
            throw DomainException.conflict("session.not_completed", "only a completed interview is evaluated again");
        }
        evaluations.findLatest(scope, staff.tenant(), id).filter(EvaluationResult::isSuccess)
                .ifPresent(r -> {
                    throw DomainException.conflict("evaluation.not_failed", "the latest evaluation succeeded");
                });
        Position position = positions.find(scope, session.position())
                .orElseThrow(() -> DomainException.notFound("position.not_found", "no position " + session.position()));
        EvaluationResult result = evaluation.evaluate(session, position,
                transcripts.read(scope, staff.tenant(), id));
        evaluations.save(scope, staff.tenant(), result);
        audit.record(scope, staff.tenant(), "evaluation.retried", "session:" + id,
                Map.of("evaluation", result.ref().toString(), "outcome", result.isSuccess() ? "succeeded" : "failed"));
        return result;
    }

    @Override
    public ScoreOverride override(Principal staff, SessionId id, String competency, int score, String reason) {
        Access.requireStaff(staff);
        if (score < CompetencyScore.MIN_SCORE || score > CompetencyScore.MAX_SCORE) {
            throw DomainException.invalid("invalid.score", "a score is 1 to 5");
        }
        if (reason == null || reason.isBlank() || reason.strip().length() > 1000) {
            throw DomainException.invalid("invalid.reason", "an override needs a reason (at most 1000 characters)");
        }
        AccessScope scope = AccessScope.of(staff);
        store.load(scope, id);
        EvaluationResult latest = evaluations.findLatest(scope, staff.tenant(), id)
                .filter(EvaluationResult::isSuccess)
                .orElseThrow(() -> DomainException.conflict("evaluation.missing", "there is no evaluation to review"));
        CompetencyScore model = latest.value().orElseThrow().scores().stream()
                .filter(s -> s.competency().equals(competency)).findFirst()
                .orElseThrow(() -> DomainException.invalid("evaluation.unknown_competency",
                        "the evaluation has no competency " + competency));
        audit.record(scope, staff.tenant(), OVERRIDE, "session:" + id, Map.of("competency", competency,
                "model_score", Integer.toString(model.score()), "score", Integer.toString(score),
                "reason", reason.strip(), "evaluation", latest.ref().toString()));
        return overrides(staff, id).stream().reduce((a, b) -> b).orElseThrow();
    }

    @Override
    public List<ScoreOverride> overrides(Principal staff, SessionId id) {
        Access.requireStaff(staff);
        store.load(AccessScope.of(staff), id); // the tenant wall, before the system read below
        List<ScoreOverride> found = new ArrayList<>();
        for (AuditEvent event : auditLog.about(AccessScope.system("evaluation-review"), staff.tenant(),
                "session:" + id, OVERRIDE)) {
            Map<String, String> d = event.details();
            found.add(new ScoreOverride(d.get("competency"), Integer.parseInt(d.get("model_score")),
                    Integer.parseInt(d.get("score")), d.get("reason"), event.actor(), d.get("evaluation"),
                    event.at()));
        }
        return found;
    }
}
