package ai.interviewinsights.domain.model.evaluation;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;

/** An evaluation does not hold up against the position and transcript it claims to judge. */
public final class EvaluationRejectedException extends DomainException {

    private final String reason;
    private final String reasonToKeep;

    public EvaluationRejectedException(String reason) {
        this(reason, reason);
    }

    /**
     * @param reason       what the evaluator model is told on its retry (it may quote the words at fault)
     * @param reasonToKeep the same without any of the interview's words: what a failed evaluation records, in a
     *                     column that is not encrypted under the candidate's key and so would outlive their erasure
     *                     in any backup taken before it
     */
    public EvaluationRejectedException(String reason, String reasonToKeep) {
        super(ErrorKind.UPSTREAM_FAILED, "evaluation.rejected", reasonToKeep);
        this.reason = reason;
        this.reasonToKeep = reasonToKeep;
    }

    /** The reason, phrased so it can be handed back to the evaluator model on a retry. */
    public String reason() {
        return reason;
    }

    /** The reason without the interview's words: what is recorded (and what the exception's message says). */
    public String reasonToKeep() {
        return reasonToKeep;
    }
}
