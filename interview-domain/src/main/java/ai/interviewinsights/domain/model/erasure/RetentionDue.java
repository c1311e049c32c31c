package ai.interviewinsights.domain.model.erasure;

import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.TenantId;

/** A candidate whose tenant's retention period has run out since their last interview. */
public record RetentionDue(TenantId tenant, CandidateId candidate) {

    public RetentionDue {
        Require.present(tenant, "tenant_id");
        Require.present(candidate, "candidate_id");
    }
}
