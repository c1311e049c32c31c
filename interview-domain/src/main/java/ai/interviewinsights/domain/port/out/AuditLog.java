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
}
