package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.consent.ConsentNotice;
import ai.interviewinsights.domain.model.consent.ConsentRecord;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import java.util.Optional;

/**
 * Candidates' consent records and each tenant's notice wording: everything about consent in one repository (so an
 * encrypting decorator can wrap it whole). Consent records are append-only: a session has at most one.
 */
public interface ConsentRepository {

    /**
     * Stores a session's consent. Recording it again for the same session keeps the first record.
     *
     * @return whether this call stored it (false: the session already had a consent record)
     */
    boolean record(AccessScope scope, ConsentRecord consent);

    /** A session's consent record: visible to the tenant's staff, to the session's candidate and to system jobs. */
    Optional<ConsentRecord> find(AccessScope scope, SessionId session);

    /** The tenant's own wording, if it set one (readable by anyone in the tenant and by system jobs). */
    Optional<ConsentNotice> notice(AccessScope scope, TenantId tenant);

    /** Sets the tenant's wording (admins). */
    void saveNotice(AccessScope scope, TenantId tenant, ConsentNotice notice);
}
