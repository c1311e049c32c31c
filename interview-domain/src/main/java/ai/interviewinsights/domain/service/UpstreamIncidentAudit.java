package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.port.in.ReportUpstreamIncidentUseCase;
import java.util.Map;

/** Audits what happened to a proxy runner's socket to OpenAI: a drop it recovered from, or the loss that ended it. */
final class UpstreamIncidentAudit implements ReportUpstreamIncidentUseCase {

    private final Audit audit;

    UpstreamIncidentAudit(Audit audit) {
        this.audit = audit;
    }

    @Override
    public void report(UpstreamIncident command) {
        Access.requireRunner(command.principal(), command.session());
        audit.record(AccessScope.of(command.principal()), command.principal().tenant(),
                "realtime.upstream_incident", "session:" + command.session(),
                Map.of("code", command.code(), "attempts", Integer.toString(command.attempts()), "cause",
                        command.cause()));
    }
}
