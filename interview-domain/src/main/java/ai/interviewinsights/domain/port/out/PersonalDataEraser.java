package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.erasure.ErasedRecords;
import ai.interviewinsights.domain.model.erasure.RetentionDue;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.session.InterviewSession;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Erases personal data for good: the store's side of a candidate's right to erasure, of retention and of tenant
 * offboarding. A store that encrypts (the Supabase adapter) destroys the data key first, so that copies of the rows
 * (backups, dumps) become unreadable too, then deletes the rows. Every call runs in the given scope: only an admin
 * of the tenant, or a system job, may erase.
 */
public interface PersonalDataEraser {

    /** The candidate's interviews, so that what they left running and their recordings can be dealt with first. */
    List<InterviewSession> sessionsOf(AccessScope scope, TenantId tenant, CandidateId candidate);

    /**
     * Destroys the candidate's data key, then deletes the candidate, their sessions, transcript entries, evaluations
     * and invites, all in one transaction. The audit log stays. Erasing a candidate who is gone already removes
     * nothing and is not an error.
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code forbidden} when the scope may not erase
     */
    ErasedRecords erase(AccessScope scope, TenantId tenant, CandidateId candidate);

    /**
     * Candidates of tenants that have a retention period, none of whose interviews is still running, and whose last
     * interview ended (or, never interviewed, who were registered) more than that period before {@code now};
     * oldest first.
     */
    List<RetentionDue> dueForRetention(AccessScope scope, Instant now, int limit);

    /** Sets (or, empty, clears) how many days the tenant keeps a candidate after their last interview. */
    void setRetentionDays(AccessScope scope, TenantId tenant, Optional<Integer> days);

    Optional<Integer> retentionDays(AccessScope scope, TenantId tenant);

    /** Every candidate of the tenant (for offboarding). */
    List<CandidateId> candidatesOf(AccessScope scope, TenantId tenant);

    /**
     * Destroys the tenant's own key (offboarding): whatever is still encrypted beneath it becomes unreadable.
     *
     * @return how many keys were destroyed (0 when there was none)
     */
    int destroyTenantKey(AccessScope scope, TenantId tenant);
}
