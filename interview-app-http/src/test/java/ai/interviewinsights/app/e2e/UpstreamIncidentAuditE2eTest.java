package ai.interviewinsights.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.interviewinsights.app.config.SecretFiles;
import ai.interviewinsights.app.tokens.SessionTokens;
import ai.interviewinsights.domain.model.audit.AuditEvent;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.port.out.SessionTokenIssuer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code POST /internal/runner/upstream-incident} (ADR 0023): a proxy runner's lost or recovered socket to OpenAI lands
 * in its session's audit trail with its stable code, over the real HTTP edge; nobody but the session's own runner may
 * write it, and a body without a code is a clear 400.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamIncidentAuditE2eTest {

    private E2eApp e2e;
    private String session;
    private String otherSession;

    @BeforeAll
    void start() throws Exception {
        e2e = new E2eApp();
        String position = e2e.post("/api/positions", e2e.adminToken, Map.of("title", "Engineer", "competencies",
                List.of(Map.of("name", "Design")))).body().path("id").asText();
        String candidate = e2e.post("/api/candidates", e2e.adminToken, Map.of("name", "Ada")).body().path("id")
                .asText();
        session = e2e.post("/api/sessions", e2e.adminToken, Map.of("candidate_id", candidate, "position_id",
                position, "settings", Map.of("architecture", "proxy"))).body().path("session_id").asText();
        otherSession = e2e.post("/api/sessions", e2e.adminToken, Map.of("candidate_id", candidate, "position_id",
                position)).body().path("session_id").asText();
    }

    @AfterAll
    void stop() throws Exception {
        e2e.close();
    }

    private String token(String forSession, Role role) {
        SessionTokens tokens = new SessionTokens(SecretFiles.secret(e2e.dataDir.resolve("session-token-secret")),
                Clock.systemUTC());
        return tokens.issue(new SessionTokenIssuer.Grant(e2e.tenant, SessionId.of(forSession), role,
                Instant.now().plusSeconds(600))).token().reveal();
    }

    private List<AuditEvent> incidents(String forSession) {
        return e2e.app().auditEvents(e2e.tenant, 500).stream()
                .filter(a -> a.action().equals("realtime.upstream_incident")
                        && a.subject().equals("session:" + forSession)).toList();
    }

    @Test
    void the_sessions_runner_audits_a_lost_socket_with_its_stable_code() throws Exception {
        E2eApp.Reply reply = e2e.post("/internal/runner/upstream-incident", token(session, Role.RUNNER),
                Map.of("code", "proxy.upstream_lost", "attempts", 3, "cause", "socket_failed"));
        assertEquals(204, reply.status(), reply.raw());
        List<AuditEvent> audited = incidents(session);
        assertEquals(1, audited.size());
        assertEquals(Map.of("code", "proxy.upstream_lost", "attempts", "3", "cause", "socket_failed"),
                audited.get(0).details());
    }

    @Test
    void nobody_else_writes_it_and_a_body_without_a_code_is_a_clear_400() throws Exception {
        String path = "/internal/runner/upstream-incident";
        Map<String, Object> body = Map.of("code", "proxy.upstream_lost", "attempts", 1, "cause", "socket_failed");
        assertEquals(403, e2e.post(path, token(session, Role.CANDIDATE), body).status());
        assertEquals(403, e2e.post(path, e2e.adminToken, body).status());
        // Another session's runner cannot write into this session's trail: its report lands in its own.
        assertEquals(204, e2e.post(path, token(otherSession, Role.RUNNER), body).status());
        assertEquals(1, incidents(otherSession).size());
        E2eApp.Reply noCode = e2e.post(path, token(session, Role.RUNNER), Map.of("attempts", 1));
        assertEquals(400, noCode.status());
        assertEquals("invalid.incident", noCode.body().path("code").asText());
        assertEquals(401, e2e.post(path, null, body).status());
        assertEquals(List.of(), incidents(session).stream()
                .filter(a -> !a.details().get("attempts").equals("3")).toList(), "nothing but the runner's own");
    }
}
