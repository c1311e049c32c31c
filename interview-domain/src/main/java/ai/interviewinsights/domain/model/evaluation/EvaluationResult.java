package ai.interviewinsights.domain.model.evaluation;

import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.identity.SessionId;
import java.time.Instant;
import java.util.Optional;

/**
 * What became of evaluating an interview: the evaluation, or why there is none. A failed evaluation is recorded,
 * not thrown away, so a report can say "evaluation failed: ..." and an operator can re-run it.
 */
public record EvaluationResult(EvaluationRef ref, SessionId session, Evaluation evaluation, String failureReason, Instant createdAt) {

    public EvaluationResult {
        Require.present(ref, "evaluation_ref");
        Require.present(session, "session_id");
        Require.present(createdAt, "created_at");
        if ((evaluation == null) == (failureReason == null)) {
            throw new IllegalArgumentException("an evaluation result holds an evaluation or a failure reason");
        }
        if (evaluation != null && !evaluation.session().equals(session)) {
            throw new IllegalArgumentException("the evaluation belongs to another session");
        }
    }

    public static EvaluationResult succeeded(EvaluationRef ref, Evaluation evaluation, Instant at) {
        return new EvaluationResult(ref, evaluation.session(), evaluation, null, at);
    }

    public static EvaluationResult failed(EvaluationRef ref, SessionId session, String reason, Instant at) {
        return new EvaluationResult(ref, session, null, reason, at);
    }

    public boolean isSuccess() {
        return evaluation != null;
    }

    public Optional<Evaluation> value() {
        return Optional.ofNullable(evaluation);
    }

    public Optional<String> failure() {
        return Optional.ofNullable(failureReason);
    }
}
