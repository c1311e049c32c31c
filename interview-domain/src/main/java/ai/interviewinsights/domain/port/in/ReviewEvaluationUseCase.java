package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.evaluation.EvaluationResult;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import java.time.Instant;
import java.util.List;

/**
 * What staff do with an evaluation: run it again when it failed, and put a person's score beside the model's. An
 * override never replaces the model's score; both stay, and the override (with its reason) is in the audit log.
 */
public interface ReviewEvaluationUseCase {

    /**
     * Evaluates a completed interview again after its evaluation failed (a new result; the failed one is kept).
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code evaluation.not_failed} (CONFLICT) when the
     *         latest evaluation succeeded, {@code session.not_completed} (CONFLICT) before the interview completed
     */
    EvaluationResult retry(Principal staff, SessionId session);

    /**
     * Records a reviewer's score for one competency of the latest successful evaluation.
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code invalid.score}, {@code invalid.reason},
     *         {@code evaluation.unknown_competency}, {@code evaluation.missing}
     */
    ScoreOverride override(Principal staff, SessionId session, String competency, int score, String reason);

    /** The overrides of the session's evaluations, oldest first. */
    List<ScoreOverride> overrides(Principal staff, SessionId session);

    /** A reviewer's score beside the model's. */
    record ScoreOverride(String competency, int modelScore, int score, String reason, String actor,
                         String evaluationId, Instant at) {
    }
}
