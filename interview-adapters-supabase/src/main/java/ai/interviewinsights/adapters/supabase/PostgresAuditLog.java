package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.audit.AuditEvent;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.port.out.AuditLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The append-only audit log. Principals may only insert (their tenant's events); reading back needs
 * service_role, which a principal's transaction never has: its select is refused with "permission denied".
 */
final class PostgresAuditLog implements AuditLog {

    private final ScopedTransactions db;

    PostgresAuditLog(ScopedTransactions db) {
        this.db = db;
    }

    @Override
    public void record(AccessScope scope, AuditEvent event) {
        ObjectNode details = Json.MAPPER.createObjectNode();
        event.details().forEach(details::put);
        db.inScope(scope, handle -> handle.createUpdate("""
                        insert into interview.audit_log (id, tenant_id, actor, action, subject, at, details)
                        values (:id, :tenant_id, :actor, :action, :subject, :at, cast(:details as jsonb))""")
                .bind("id", Rows.uuid(event.id()))
                .bind("tenant_id", Rows.uuid(event.tenant().value()))
                .bind("actor", event.actor())
                .bind("action", event.action())
                .bind("subject", event.subject())
                .bind("at", Rows.timestamp(event.at()))
                .bind("details", details.toString())
                .execute());
    }

    @Override
    public List<AuditEvent> read(AccessScope scope, TenantId tenant, int limit) {
        return db.inScope(scope, handle -> handle.createQuery("""
                        select id, actor, action, subject, at, details from interview.audit_log
                        where tenant_id = :tenant_id
                        order by at desc, seq desc limit :limit""")
                .bind("tenant_id", Rows.uuid(tenant.value()))
                .bind("limit", limit)
                .map((rs, ctx) -> event(rs, tenant))
                .list());
    }

    @Override
    public List<AuditEvent> about(AccessScope scope, TenantId tenant, String subject, String action) {
        // Served by audit_log_subject_idx (V23): the tenant's other events are never scanned.
        return db.inScope(scope, handle -> handle.createQuery("""
                        select id, actor, action, subject, at, details from interview.audit_log
                        where tenant_id = :tenant_id and subject = :subject and action = :action
                        order by at, seq""")
                .bind("tenant_id", Rows.uuid(tenant.value()))
                .bind("subject", subject)
                .bind("action", action)
                .map((rs, ctx) -> event(rs, tenant))
                .list());
    }

    private static AuditEvent event(java.sql.ResultSet rs, TenantId tenant) throws java.sql.SQLException {
        Map<String, String> details = new LinkedHashMap<>();
        JsonNode stored = Json.parse(rs.getString("details"));
        stored.fields().forEachRemaining(field -> details.put(field.getKey(), field.getValue().asText()));
        return new AuditEvent(Rows.uuid(rs, "id"), tenant, rs.getString("actor"), rs.getString("action"),
                rs.getString("subject"), Rows.instant(rs, "at"), details);
    }
}
