package ai.interviewinsights.domain.service;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static ai.interviewinsights.domain.testing.Fixtures.GLOBEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.audit.AuditEvent;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.port.in.ReportUpstreamIncidentUseCase;
import ai.interviewinsights.domain.port.in.ReportUpstreamIncidentUseCase.UpstreamIncident;
import ai.interviewinsights.domain.runner.InProcessControlPlane;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A proxy runner's lost or recovered socket to OpenAI (ADR 0023) is audited for its own session only, codes only. */
class UpstreamIncidentAuditTest {

    private final InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
    private final ReportUpstreamIncidentUseCase useCase = platform.services.reportUpstreamIncident();
    private final SessionId session = new SessionId(UUID.randomUUID());

    private List<AuditEvent> incidents() {
        return platform.repositories.allAuditEvents().stream()
                .filter(e -> e.action().equals("realtime.upstream_incident")).toList();
    }

    @Test
    void the_sessions_runner_audits_the_lost_socket_with_its_stable_code() {
        platform.registerTenant(ACME);
        useCase.report(new UpstreamIncident(Fixtures.runnerPrincipal(ACME, session), session, "proxy.upstream_lost",
                3, "socket_failed"));

        AuditEvent event = incidents().get(0);
        assertEquals(ACME, event.tenant());
        assertEquals("session:" + session, event.subject());
        assertEquals(Map.of("code", "proxy.upstream_lost", "attempts", "3", "cause", "socket_failed"),
                event.details());
    }

    @Test
    void nobody_else_may_write_into_a_sessions_audit_trail() {
        platform.registerTenant(ACME);
        platform.registerTenant(GLOBEX);
        SessionId other = new SessionId(UUID.randomUUID());
        for (Principal hostile : List.of(Fixtures.runnerPrincipal(ACME, other),
                Fixtures.runnerPrincipal(GLOBEX, other), Fixtures.candidatePrincipal(ACME, session),
                Fixtures.admin(ACME))) {
            DomainException e = assertThrows(DomainException.class, () -> useCase.report(new UpstreamIncident(
                    hostile, session, "proxy.upstream_lost", 3, "socket_failed")));
            assertEquals(ErrorKind.FORBIDDEN, e.kind(), hostile + ": " + e.code());
        }
        assertEquals(List.of(), incidents());
    }

    @Test
    void only_codes_and_a_bounded_count_are_recorded() {
        platform.registerTenant(ACME);
        useCase.report(new UpstreamIncident(Fixtures.runnerPrincipal(ACME, session), session,
                "Incorrect API key provided: sk-proj-abc", 5000, "x".repeat(500)));

        assertEquals(Map.of("code", "unknown", "attempts", "100", "cause", "unknown"), incidents().get(0).details());
    }

    @Test
    void the_in_process_control_plane_reports_it_as_the_runner() {
        platform.registerTenant(ACME);
        new InProcessControlPlane(Fixtures.runnerPrincipal(ACME, session), platform.services)
                .upstreamIncident("proxy.upstream_reconnected", 1, "closed_1011");

        assertEquals(Map.of("code", "proxy.upstream_reconnected", "attempts", "1", "cause", "closed_1011"),
                incidents().get(0).details());
    }
}
