package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.evaluation.EvaluationResult;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;

/**
 * Finishes an ended interview (a system job): evaluates the transcript, records the result (a failed evaluation is
 * recorded with its reason, never thrown away), completes the session and destroys its runner.
 */
public interface EvaluateInterviewUseCase {

    /**
     * @throws ai.interviewinsights.domain.model.session.IllegalTransitionException unless the session is ENDING
     */
    EvaluationResult evaluate(TenantId tenant, SessionId session);
}
