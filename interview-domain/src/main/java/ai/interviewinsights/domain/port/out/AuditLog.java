package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.audit.AuditEvent;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.TenantId;
import java.util.List;

/** The append-only record of who did what. Anyone may append for their tenant; only system jobs may read it back. */
public interface AuditLog {

    void record(AccessScope scope, AuditEvent event);

    /**
     * The tenant's most recent events, newest first.
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code forbidden} unless the scope is a system scope
     */
    List<AuditEvent> read(AccessScope scope, TenantId tenant, int limit);

    /**
     * Every event of the tenant with this action about this subject, oldest first, however many other events the
     * tenant has logged since (for records that live in the audit log, like reviewers' score overrides).
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code forbidden} unless the scope is a system scope
     */
    List<AuditEvent> about(AccessScope scope, TenantId tenant, String subject, String action);
}
