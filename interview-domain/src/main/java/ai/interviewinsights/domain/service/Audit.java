package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.audit.AuditEvent;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.port.out.AuditLog;
import ai.interviewinsights.domain.port.out.IdGenerator;
import java.time.Clock;
import java.util.Map;

/** Writes audit events in the acting scope; the actor is the principal's user or {@code system:<job>}. */
final class Audit {

    private final AuditLog log;
    private final IdGenerator ids;
    private final Clock clock;

    Audit(AuditLog log, IdGenerator ids, Clock clock) {
        this.log = log;
        this.ids = ids;
        this.clock = clock;
    }

    void record(AccessScope scope, TenantId tenant, String action, String subject, Map<String, String> details) {
        String actor = actorOf(scope);
        log.record(scope, new AuditEvent(ids.newId(), tenant, actor, action, subject, clock.instant(), details));
    }

    /** The principal's role and user, or {@code system:<job>}. */
    static String actorOf(AccessScope scope) {
        return scope.principal()
                .map(p -> p.role().name().toLowerCase(java.util.Locale.ROOT) + ":" + p.user())
                .orElseGet(() -> "system:" + scope.systemJob().orElse("unknown"));
    }
}
