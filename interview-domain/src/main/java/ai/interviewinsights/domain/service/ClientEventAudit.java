package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.port.in.ReportRefusedClientEventUseCase;
import java.util.Map;

/** Audits the browser client events a proxy runner refused to pass on to OpenAI. */
final class ClientEventAudit implements ReportRefusedClientEventUseCase {

    private final Audit audit;

    ClientEventAudit(Audit audit) {
        this.audit = audit;
    }

    @Override
    public void refused(RefusedClientEvent command) {
        Access.requireRunner(command.principal(), command.session());
        audit.record(AccessScope.of(command.principal()), command.principal().tenant(),
                "realtime.client_event_refused", "session:" + command.session(),
                Map.of("type", command.type(), "reason", command.reason(), "fields",
                        String.join(",", command.fields())));
    }
}
