package ai.interviewinsights.domain.model.evaluation;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;

/** An evaluation does not hold up against the position and transcript it claims to judge. */
public final class EvaluationRejectedException extends DomainException {

    public EvaluationRejectedException(String reason) {
        super(ErrorKind.UPSTREAM_FAILED, "evaluation.rejected", reason);
    }

    /** The reason, phrased so it can be handed back to the evaluator model on a retry. */
    public String reason() {
        return getMessage();
    }
}
