package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.evaluation.EvaluationResult;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import java.util.Optional;

/** Stores evaluation results, successful or failed; a session may be evaluated more than once. */
public interface EvaluationRepository {

    void save(AccessScope scope, TenantId tenant, EvaluationResult result);

    /** The most recent result for the session. */
    Optional<EvaluationResult> findLatest(AccessScope scope, TenantId tenant, SessionId session);
}
