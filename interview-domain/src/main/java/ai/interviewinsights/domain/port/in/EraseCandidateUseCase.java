package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.erasure.ErasureReceipt;
import ai.interviewinsights.domain.model.erasure.ErasureReceipt;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.TenantId;

/**
 * A candidate's right to erasure: stop whatever still runs for them (call, runner), delete their recordings at the
 * provider, destroy their data key and delete every row about them, and write a receipt to the audit log.
 */
public interface EraseCandidateUseCase {

    /**
     * An admin of the candidate's tenant erases them.
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code access.admin_only} (FORBIDDEN),
     *         {@code candidate.not_found} (NOT_FOUND, also for another tenant's candidate),
     *         {@code erasure.recording_delete_failed} (UNAVAILABLE, retryable: nothing was erased yet)
     */
    ErasureReceipt erase(Principal admin, CandidateId candidate);

    /**
     * The operator erases a candidate (a request that reached the company another way).
     *
     * @param operator who runs the command, for the receipt (a name, never personal data of the candidate)
     * @throws ai.interviewinsights.domain.model.DomainException as {@link #erase(Principal, CandidateId)}
     */
    ErasureReceipt eraseAsOperator(TenantId tenant, CandidateId candidate, String operator);
}
