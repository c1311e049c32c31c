package ai.interviewinsights.domain.model.evaluation;

import ai.interviewinsights.domain.model.Require;
import java.util.UUID;

/** Identifies a stored {@link EvaluationResult}; the session records it once the evaluation is done. */
public record EvaluationRef(UUID value) {

    public EvaluationRef {
        Require.present(value, "evaluation_ref");
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
