package ai.interviewinsights.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import ai.interviewinsights.domain.testing.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Hostile callers over HTTP: the tenant wall, the session wall, bad tokens, bad bodies and bad SDP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileCallersE2eTest {

    private E2eApp e2e;
    private String otherTenantToken;
    private JsonNode session;
    private JsonNode secondSession;
    private String inviteId;

    @BeforeAll
    void start() throws Exception {
        e2e = new E2eApp();
        String position = e2e.post("/api/positions", e2e.adminToken, Map.of("title", "Engineer", "competencies",
                List.of(Map.of("name", "Design")))).body().path("id").asText();
        String candidate = e2e.post("/api/candidates", e2e.adminToken, Map.of("name", "Ada")).body().path("id")
                .asText();
        session = e2e.post("/api/sessions", e2e.adminToken, Map.of("candidate_id", candidate, "position_id",
                position)).body();
        secondSession = e2e.post("/api/sessions", e2e.adminToken, Map.of("candidate_id", candidate, "position_id",
                position)).body();
        inviteId = e2e.post("/api/invites", e2e.adminToken, Map.of("candidate_id", candidate, "position_id",
                position)).body().path("id").asText();
        otherTenantToken = e2e.staffToken(new TenantId(UUID.randomUUID()), Role.ADMIN);
    }

    @AfterAll
    void stop() throws Exception {
        e2e.close();
    }

    private static String candidateToken(JsonNode started) {
        return E2eApp.candidateToken(started.path("websocket_url").asText());
    }

    private static void assertProblem(E2eApp.Reply reply, int status, String code) {
        assertEquals(status, reply.status(), reply.raw());
        assertEquals(code, reply.code(), reply.raw());
        assertTrue(reply.contentType().startsWith("application/problem+json"), reply.contentType());
        assertFalse(reply.raw().contains("Exception") || reply.raw().contains("at ai."), "no internals: " + reply.raw());
    }

    @Test
    void another_tenants_session_report_and_invite_do_not_exist_for_them() throws Exception {
        String id = session.path("session_id").asText();
        assertProblem(e2e.get("/api/sessions/" + id, otherTenantToken), 404, "session.not_found");
        assertProblem(e2e.get("/api/sessions/" + id + "/report", otherTenantToken), 404, "session.not_found");
        assertProblem(e2e.get("/api/invites/" + inviteId, otherTenantToken), 404, "invite.not_found");
        assertProblem(e2e.post("/api/sessions/" + id + "/cancel", otherTenantToken, ""), 404, "session.not_found");
        assertEquals(0, e2e.get("/api/sessions", otherTenantToken).body().path("items").size());
        assertEquals("ready", e2e.get("/api/sessions/" + id, e2e.adminToken).body().path("status").asText());
    }

    @Test
    void a_candidate_token_on_another_session_is_forbidden() throws Exception {
        String token = candidateToken(session);
        String other = secondSession.path("session_id").asText();
        assertProblem(e2e.get("/api/sessions/" + other, token), 403, "access.other_session");
        assertProblem(e2e.post("/api/realtime/sessions", token, Map.of("session_id", other)), 403,
                "access.other_session");
        assertProblem(e2e.post("/api/sessions/" + other + "/end", token, ""), 403, "access.other_session");
        assertProblem(e2e.get("/api/sessions/" + session.path("session_id").asText() + "/report", token), 403,
                "access.staff_only");
        assertProblem(e2e.get("/internal/runner/assignment", token), 403, "access.runner_only");
    }

    @Test
    void expired_tampered_alg_none_and_missing_tokens_are_unauthorized() throws Exception {
        String expired = e2e.minter(Clock.offset(Clock.systemUTC(), Duration.ofHours(-3)))
                .mint(e2e.tenant, new UserId(UUID.randomUUID()), Role.ADMIN, Duration.ofHours(1)).reveal();
        assertProblem(e2e.get("/api/sessions", expired), 401, "auth.expired");

        String[] parts = e2e.adminToken.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"admin\"", "\"interviewer\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertEquals(401, e2e.get("/api/sessions", tampered).status());
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        E2eApp.Reply noneReply = e2e.get("/api/sessions", none);
        assertEquals(401, noneReply.status(), noneReply.raw());
        assertTrue(noneReply.code().startsWith("auth."), noneReply.raw());
        assertProblem(e2e.get("/api/sessions", null), 401, "auth.missing");
        String candidateAlgNone = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + candidateToken(session).split("\\.")[1] + ".";
        assertProblem(e2e.get("/api/sessions", candidateAlgNone), 401, "auth.algorithm_not_allowed");
    }

    @Test
    void oversized_and_malformed_sdp_is_a_400_naming_the_rule() throws Exception {
        String runner = session.path("websocket_url").asText().replaceAll("^ws://([^/]+)/ws.*", "http://$1");
        String token = candidateToken(session);
        String offer = Fixtures.resource("sdp/chrome-offer.sdp");
        E2eApp.Reply broken = e2e.send(HttpRequest.newBuilder(URI.create(runner + "/api/sdp"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(offer.replaceFirst("a=ice-ufrag:Xv3b\r\n", ""))));
        assertProblem(broken, 400, "sdp.ice_credentials");
        assertEquals("ice_credentials", broken.body().path("violations").get(0).path("rule").asText());
        assertTrue(broken.body().path("violations").get(0).path("line").asInt() > 1);
        E2eApp.Reply huge = e2e.send(HttpRequest.newBuilder(URI.create(runner + "/api/sdp"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(offer + "a=x-junk:" + "x".repeat(70_000) + "\r\n")));
        assertProblem(huge, 400, "sdp.size_limit");
        E2eApp.Reply anonymous = e2e.send(HttpRequest.newBuilder(URI.create(runner + "/api/sdp"))
                .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(offer)));
        assertProblem(anonymous, 401, "auth.missing");
    }

    @Test
    void bad_bodies_get_clear_errors_never_a_500() throws Exception {
        assertProblem(e2e.post("/api/positions", e2e.adminToken, "{not json"), 400, "request.malformed_json");
        assertProblem(e2e.post("/api/positions", e2e.adminToken, "[]"), 400, "request.malformed_json");
        assertProblem(e2e.post("/api/positions", e2e.adminToken, Map.of("title", "", "competencies", List.of())),
                400, "invalid.position_title");
        assertProblem(e2e.post("/api/sessions", e2e.adminToken, Map.of("candidate_id", "nope",
                "position_id", "x")), 400, "invalid.candidate_id");
        assertProblem(e2e.post("/api/sessions", e2e.adminToken, Map.of("candidate_id", UUID.randomUUID().toString(),
                "position_id", UUID.randomUUID().toString(), "settings", Map.of("voice", "robot"))), 400,
                "invalid.voice");
        assertProblem(e2e.post("/api/sessions", e2e.adminToken, Map.of("candidate_id", UUID.randomUUID().toString(),
                "position_id", UUID.randomUUID().toString())), 404, "position.not_found");
        // Refused by its declared length, before the body is read. Sent by hand with only the headers: a client that
        // pushes the whole megabyte first may see the connection reset before it reads the 413 (a race on a busy
        // machine), which would say nothing about the server.
        assertProblem(headersOnly("POST", "/api/candidates", e2e.adminToken, 1_100_012), 413, "request.too_large");
        assertProblem(e2e.get("/api/nothing-here", e2e.adminToken), 404, "route.not_found");
        assertProblem(e2e.post("/api/invites/redeem", null, Map.of("token", "../../etc/passwd")), 404,
                "invite.invalid_token");
    }

    /** Issue 10, defect 8: a runner's batch holding a null entry is a 400, not a 500. */
    @Test
    void a_runner_batch_with_a_null_entry_is_a_clear_400() throws Exception {
        var tokens = new ai.interviewinsights.app.tokens.SessionTokens(ai.interviewinsights.app.config.SecretFiles
                .secret(e2e.dataDir.resolve("session-token-secret")), java.time.Clock.systemUTC());
        var sessionId = ai.interviewinsights.domain.model.identity.SessionId.of(session.path("session_id").asText());
        String runnerToken = tokens.issue(new ai.interviewinsights.domain.port.out.SessionTokenIssuer.Grant(e2e.tenant,
                sessionId, Role.RUNNER, java.time.Instant.now().plusSeconds(600))).token().reveal();
        assertProblem(e2e.post("/internal/runner/transcript", runnerToken, "{\"entries\":[null]}"), 400,
                "invalid.batch");
    }

    /**
     * The call-audio routes (ADR 0021) are a session runner's, for its own proxy session only; bad bodies are clear
     * 400s. (A runner's token names its session: there is no way to name another's.)
     */
    @Test
    void the_call_audio_routes_refuse_everyone_but_a_proxy_sessions_own_runner() throws Exception {
        var tokens = new ai.interviewinsights.app.tokens.SessionTokens(ai.interviewinsights.app.config.SecretFiles
                .secret(e2e.dataDir.resolve("session-token-secret")), java.time.Clock.systemUTC());
        var sessionId = ai.interviewinsights.domain.model.identity.SessionId.of(session.path("session_id").asText());
        String runnerToken = tokens.issue(new ai.interviewinsights.domain.port.out.SessionTokenIssuer.Grant(e2e.tenant,
                sessionId, Role.RUNNER, java.time.Instant.now().plusSeconds(600))).token().reveal();
        for (String path : List.of("/internal/runner/call-audio/grant", "/internal/runner/call-audio/uploaded",
                "/internal/runner/call-audio/failed")) {
            assertProblem(e2e.post(path, candidateToken(session), "{}"), 403, "access.runner_only");
            assertProblem(e2e.post(path, e2e.adminToken, "{}"), 403, "access.runner_only");
        }
        // This session is hybrid: its audio never passes its runner.
        assertProblem(e2e.post("/internal/runner/call-audio/grant", runnerToken, ""), 409,
                "recording.call_audio_not_proxy");
        assertProblem(e2e.post("/internal/runner/call-audio/failed", runnerToken,
                "{\"code\":\"recording.upload_unavailable\"}"), 409, "recording.call_audio_not_proxy");
        assertProblem(e2e.post("/internal/runner/call-audio/uploaded", runnerToken,
                "{\"video_id\":\"../videos/x\",\"bytes\":1,\"seconds\":1}"), 400, "invalid.video_id");
        assertProblem(e2e.post("/internal/runner/call-audio/uploaded", runnerToken,
                "{\"video_id\":\"vi1\",\"bytes\":-1,\"seconds\":1}"), 400, "invalid.call_audio");
        assertProblem(e2e.post("/internal/runner/call-audio/uploaded", runnerToken, "[]"), 400, "request.malformed_json");
    }

    /** Sends a request's headers only (declaring {@code contentLength} bytes) and reads the answer. */
    private E2eApp.Reply headersOnly(String method, String path, String token, long contentLength) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", e2e.port())) {
            socket.setSoTimeout(30_000);
            String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + token + "\r\nContent-Length: " + contentLength + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            String status = readLine(in);
            int code = Integer.parseInt(status.split(" ")[1]);
            int length = -1;
            String type = "";
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                String lower = line.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).strip());
                } else if (lower.startsWith("content-type:")) {
                    type = line.substring(13).strip();
                }
            }
            byte[] body = length >= 0 ? in.readNBytes(length) : in.readAllBytes();
            String raw = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            return new E2eApp.Reply(code, ai.interviewinsights.app.web.Json.mapper().readTree(raw), type, raw);
        }
    }

    private static String readLine(java.io.DataInputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
