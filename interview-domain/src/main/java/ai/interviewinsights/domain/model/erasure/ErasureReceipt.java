package ai.interviewinsights.domain.model.erasure;

import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.TenantId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The proof that a candidate was erased, as written to the audit log (which stays): what was erased, when, by whom
 * and why, in counts. It names the candidate by id only; after the erasure nothing links that id to a person.
 *
 * @param trigger        {@code request} (an admin's DELETE), {@code operator} (the operator command),
 *                       {@code retention} (the tenant's retention period ran out) or {@code offboarding}
 * @param actor          who erased: the admin's user id, or {@code system:<job>} (as in every audit event)
 * @param videosDeleted  recordings deleted at the provider
 * @param videosLeft     recordings that could not be deleted because no recording provider is configured
 * @param runnersStopped live runners destroyed (and calls hung up) because the candidate was being interviewed
 */
public record ErasureReceipt(TenantId tenant, CandidateId candidate, String trigger, String actor, Instant erasedAt,
                             ErasedRecords records, int videosDeleted, int videosLeft, int runnersStopped) {

    public ErasureReceipt {
        Require.present(tenant, "tenant_id");
        Require.present(candidate, "candidate_id");
        trigger = Require.text(trigger, "trigger", 50);
        actor = Require.text(actor, "actor", 200);
        Require.present(erasedAt, "erased_at");
        Require.present(records, "records");
        if (videosDeleted < 0 || videosLeft < 0 || runnersStopped < 0) {
            throw new IllegalArgumentException("counts are never negative");
        }
    }

    /** The audit event's details: counts and the trigger, nothing personal. */
    public Map<String, String> auditDetails() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("trigger", trigger);
        details.put("sessions", Integer.toString(records.sessions()));
        details.put("transcript_entries", Integer.toString(records.transcriptEntries()));
        details.put("evaluations", Integer.toString(records.evaluations()));
        details.put("invites", Integer.toString(records.invites()));
        details.put("keys_destroyed", Integer.toString(records.keysDestroyed()));
        details.put("videos_deleted", Integer.toString(videosDeleted));
        details.put("videos_left", Integer.toString(videosLeft));
        details.put("runners_stopped", Integer.toString(runnersStopped));
        return details;
    }
}
