package ai.interviewinsights.domain.service;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static ai.interviewinsights.domain.testing.Fixtures.GLOBEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.audit.AuditEvent;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.port.in.ReportRefusedClientEventUseCase;
import ai.interviewinsights.domain.port.in.ReportRefusedClientEventUseCase.RefusedClientEvent;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A proxy runner's refusal of a browser client event is audited for its own session only, names only. */
class ClientEventAuditTest {

    private final InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
    private final ReportRefusedClientEventUseCase useCase = platform.services.reportRefusedClientEvent();
    private final SessionId session = new SessionId(UUID.randomUUID());

    private List<AuditEvent> refusals() {
        return platform.repositories.allAuditEvents().stream()
                .filter(e -> e.action().equals("realtime.client_event_refused")).toList();
    }

    @Test
    void the_sessions_runner_audits_what_the_browser_tried_by_name() {
        platform.registerTenant(ACME);
        useCase.refused(new RefusedClientEvent(Fixtures.runnerPrincipal(ACME, session), session, "session.update",
                "proxy.session_locked", List.of("type", "instructions")));

        AuditEvent event = refusals().get(0);
        assertEquals(ACME, event.tenant());
        assertEquals("session:" + session, event.subject());
        assertEquals(Map.of("type", "session.update", "reason", "proxy.session_locked", "fields",
                "type,instructions"), event.details());
    }

    @Test
    void nobody_else_may_write_into_a_sessions_audit_trail() {
        platform.registerTenant(ACME);
        platform.registerTenant(GLOBEX);
        SessionId other = new SessionId(UUID.randomUUID());
        for (Principal hostile : List.of(Fixtures.runnerPrincipal(ACME, other),
                Fixtures.runnerPrincipal(GLOBEX, other), Fixtures.candidatePrincipal(ACME, session),
                Fixtures.admin(ACME))) {
            DomainException e = assertThrows(DomainException.class, () -> useCase.refused(new RefusedClientEvent(
                    hostile, session, "session.update", "proxy.session_locked", List.of("instructions"))));
            assertEquals(ai.interviewinsights.domain.model.ErrorKind.FORBIDDEN, e.kind(), hostile + ": " + e.code());
        }
        assertEquals(List.of(), refusals());
    }

    @Test
    void what_is_recorded_is_bounded() {
        platform.registerTenant(ACME);
        useCase.refused(new RefusedClientEvent(Fixtures.runnerPrincipal(ACME, session), session, "x".repeat(5000),
                null, java.util.stream.IntStream.range(0, 500).mapToObj(i -> "f" + i).toList()));

        Map<String, String> details = refusals().get(0).details();
        assertEquals(100, details.get("type").length());
        assertEquals("unknown", details.get("reason"));
        assertEquals(20, details.get("fields").split(",").length);
    }
}
