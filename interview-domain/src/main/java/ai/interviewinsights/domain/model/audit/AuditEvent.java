package ai.interviewinsights.domain.model.audit;

import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.identity.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One line of the append-only audit log: who did what to which record of which tenant, and when. Details hold ids
 * and outcomes only, never secrets or the candidate's words.
 *
 * @param actor   the acting user id, or {@code system:<job>} for a system job
 * @param action  dotted verb, e.g. {@code session.started}
 * @param subject what was acted on, e.g. {@code session:<uuid>}
 */
public record AuditEvent(UUID id, TenantId tenant, String actor, String action, String subject, Instant at,
                         Map<String, String> details) {

    public AuditEvent {
        Require.present(id, "audit_id");
        Require.present(tenant, "tenant_id");
        actor = Require.text(actor, "actor", 200);
        action = Require.text(action, "action", 100);
        subject = Require.text(subject, "subject", 200);
        Require.present(at, "at");
        details = Map.copyOf(details == null ? Map.of() : details);
    }
}
