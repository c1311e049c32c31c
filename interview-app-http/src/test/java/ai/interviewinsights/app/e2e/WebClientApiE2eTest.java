package ai.interviewinsights.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.TenantId;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The endpoints the web client needs, over HTTP against the real app: the lobby that uses nothing up, consent
 * (invite and staff flows, hostile callers), the tenant's notice, sessions filtered and paged, the review endpoints,
 * and the pages with their security headers and no inline code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebClientApiE2eTest {

    private E2eApp e2e;
    private String position;
    private String otherPosition;
    private String candidate;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        e2e = new E2eApp();
        position = e2e.post("/api/positions", e2e.adminToken, Map.of("title", "Backend Engineer",
                "competencies", List.of(Map.of("name", "Design")))).body().path("id").asText();
        otherPosition = e2e.post("/api/positions", e2e.adminToken, Map.of("title", "Designer",
                "competencies", List.of(Map.of("name", "Craft")))).body().path("id").asText();
        candidate = e2e.post("/api/candidates", e2e.adminToken, Map.of("name", "Ada Lovelace")).body()
                .path("id").asText();
    }

    @AfterAll
    void stop() throws Exception {
        e2e.close();
    }

    private JsonNode invite() throws Exception {
        return e2e.post("/api/invites", e2e.adminToken, Map.of("candidate_id", candidate, "position_id", position))
                .body();
    }

    private static String tokenOf(JsonNode started) {
        String url = started.path("websocket_url").asText();
        return url.replaceAll(".*[?&]token=([^&]+).*", "$1");
    }

    @Test
    void the_lobby_uses_nothing_up_and_redeem_needs_consent_to_the_notice_shown() throws Exception {
        JsonNode invite = invite();
        String token = invite.path("token").asText();
        E2eApp.Reply lobby = e2e.post("/api/invites/lobby", null, Map.of("token", token));
        assertEquals(200, lobby.status(), lobby.raw());
        assertEquals("ready", lobby.body().path("state").asText());
        assertEquals("Ada Lovelace", lobby.body().path("interview_context").path("candidate").path("name").asText());
        assertTrue(lobby.body().path("recorded").asBoolean());
        String version = lobby.body().path("notice").path("version").asText();
        assertTrue(version.matches("n1-[0-9a-f]{16}"), version);
        e2e.post("/api/invites/lobby", null, Map.of("token", token));
        assertEquals("pending", e2e.get("/api/invites/" + invite.path("id").asText(), e2e.adminToken).body()
                .path("status").asText(), "reading the lobby twice used nothing up");

        E2eApp.Reply none = e2e.post("/api/invites/redeem", null, Map.of("token", token));
        assertEquals(400, none.status());
        assertEquals("consent.required", none.code());
        E2eApp.Reply refused = e2e.post("/api/invites/redeem", null, Map.of("token", token, "consent",
                Map.of("notice_version", version, "ai_evaluation", false, "recording", true)));
        assertEquals("consent.required", refused.code());
        E2eApp.Reply stale = e2e.post("/api/invites/redeem", null, Map.of("token", token, "consent",
                Map.of("notice_version", "n1-0000000000000000", "ai_evaluation", true, "recording", true)));
        assertEquals(409, stale.status());
        assertEquals("consent.stale_notice", stale.code());
        assertEquals("pending", e2e.get("/api/invites/" + invite.path("id").asText(), e2e.adminToken).body()
                .path("status").asText(), "a refused start uses nothing up");
        assertEquals(404, e2e.post("/api/invites/lobby", null, Map.of("token", "tok_nope_0000000000000000000"))
                .status());
        assertEquals("invalid.token", e2e.post("/api/invites/lobby", null, Map.of("other", "x")).code());

        E2eApp.Reply started = e2e.redeem(token);
        assertEquals(200, started.status(), started.raw());
        String session = started.body().path("session_id").asText();
        JsonNode consent = e2e.get("/api/sessions/" + session + "/consent", e2e.adminToken).body();
        assertEquals(version, consent.path("notice_version").asText());
        assertTrue(consent.path("notice_text").asText().contains("AI interviewer"));
        assertTrue(consent.path("ai_evaluation").asBoolean() && consent.path("recording").asBoolean());
        assertEquals(200, e2e.get("/api/sessions/" + session + "/consent", tokenOf(started.body())).status(),
                "the candidate may read their own consent");
        String stranger = e2e.staffToken(new TenantId(UUID.randomUUID()), Role.ADMIN);
        assertEquals(404, e2e.get("/api/sessions/" + session + "/consent", stranger).status(),
                "another tenant learns nothing");
        assertEquals("live", e2e.post("/api/invites/lobby", null, Map.of("token", token)).body().path("state")
                .asText());
        e2e.post("/api/sessions/" + session + "/cancel", e2e.adminToken, Map.of());
        JsonNode after = e2e.post("/api/invites/lobby", null, Map.of("token", token)).body();
        assertEquals("finished", after.path("state").asText());
        assertEquals(session, after.path("reference").asText());
    }

    @Test
    void in_the_staff_flow_only_the_sessions_candidate_consents() throws Exception {
        JsonNode started = e2e.post("/api/sessions", e2e.adminToken, Map.of("candidate_id", candidate,
                "position_id", position)).body();
        String session = started.path("session_id").asText();
        String candidateToken = tokenOf(started);
        JsonNode lobby = e2e.get("/api/sessions/" + session + "/lobby", candidateToken).body();
        assertEquals("ready", lobby.path("state").asText(), lobby.toString());
        Map<String, Object> consent = Map.of("notice_version", lobby.path("notice").path("version").asText(),
                "ai_evaluation", true, "recording", true);
        assertEquals(403, e2e.post("/api/sessions/" + session + "/consent", e2e.adminToken, consent).status(),
                "staff cannot consent for the candidate");
        JsonNode other = e2e.post("/api/sessions", e2e.adminToken, Map.of("candidate_id", candidate,
                "position_id", position)).body();
        assertEquals(403, e2e.post("/api/sessions/" + other.path("session_id").asText() + "/consent",
                candidateToken, consent).status(), "a candidate token is for its own session only");
        E2eApp.Reply first = e2e.post("/api/sessions/" + session + "/consent", candidateToken, consent);
        assertEquals(201, first.status(), first.raw());
        E2eApp.Reply again = e2e.post("/api/sessions/" + session + "/consent", candidateToken, consent);
        assertEquals(first.body().path("id"), again.body().path("id"), "the first record stands");
        assertEquals("live", e2e.get("/api/sessions/" + session + "/lobby", candidateToken).body().path("state")
                .asText());
        e2e.post("/api/sessions/" + session + "/cancel", e2e.adminToken, Map.of());
        e2e.post("/api/sessions/" + other.path("session_id").asText() + "/cancel", e2e.adminToken, Map.of());
    }

    @Test
    void an_admin_words_the_notice_and_interviewers_cannot() throws Exception {
        String interviewer = e2e.staffToken(e2e.tenant, Role.INTERVIEWER);
        JsonNode current = e2e.get("/api/consent-notice", interviewer).body();
        assertTrue(current.path("ai_notice").asText().contains("AI interviewer"));
        Map<String, String> own = Map.of("ai_notice", "Our AI interviewer asks and scores.",
                "recording_notice", "We record the video.");
        assertEquals(403, e2e.put("/api/consent-notice", interviewer, own).status());
        E2eApp.Reply saved = e2e.put("/api/consent-notice", e2e.adminToken, own);
        assertEquals(200, saved.status(), saved.raw());
        JsonNode lobby = e2e.post("/api/invites/lobby", null, Map.of("token", invite().path("token").asText()))
                .body();
        assertEquals("Our AI interviewer asks and scores.\n\nWe record the video.",
                lobby.path("notice").path("text").asText());
        assertEquals(saved.body().path("version_recorded").asText(), lobby.path("notice").path("version").asText());
        assertEquals("invalid.ai_notice", e2e.put("/api/consent-notice", e2e.adminToken, Map.of("ai_notice", " ",
                "recording_notice", "x")).code());
        e2e.put("/api/consent-notice", e2e.adminToken, Map.of("ai_notice", current.path("ai_notice").asText(),
                "recording_notice", current.path("recording_notice").asText()));
    }

    @Test
    void sessions_are_filtered_by_status_position_and_date_and_paged() throws Exception {
        String tenantAdmin = e2e.staffToken(new TenantId(UUID.randomUUID()), Role.ADMIN);
        String p1 = e2e.post("/api/positions", tenantAdmin, Map.of("title", "One",
                "competencies", List.of(Map.of("name", "A")))).body().path("id").asText();
        String p2 = e2e.post("/api/positions", tenantAdmin, Map.of("title", "Two",
                "competencies", List.of(Map.of("name", "B")))).body().path("id").asText();
        String c = e2e.post("/api/candidates", tenantAdmin, Map.of("name", "Bo")).body().path("id").asText();
        for (String p : List.of(p1, p1, p2)) {
            String id = e2e.post("/api/sessions", tenantAdmin, Map.of("candidate_id", c, "position_id", p)).body()
                    .path("session_id").asText();
            if (p.equals(p2)) {
                e2e.post("/api/sessions/" + id + "/cancel", tenantAdmin, Map.of());
            }
        }
        JsonNode all = e2e.get("/api/sessions", tenantAdmin).body();
        assertEquals(3, all.path("total").asInt());
        assertEquals(2, e2e.get("/api/sessions?position_id=" + p1, tenantAdmin).body().path("total").asInt());
        JsonNode cancelled = e2e.get("/api/sessions?status=cancelled", tenantAdmin).body();
        assertEquals(1, cancelled.path("total").asInt());
        assertEquals(p2, cancelled.path("items").get(0).path("position_id").asText());
        assertEquals(0, e2e.get("/api/sessions?status=cancelled&position_id=" + p1, tenantAdmin).body()
                .path("total").asInt(), "filters combine");
        assertEquals(1, e2e.get("/api/sessions?status=cancelled,expired", tenantAdmin).body().path("total").asInt());
        JsonNode page = e2e.get("/api/sessions?limit=2&offset=2", tenantAdmin).body();
        assertEquals(1, page.path("items").size());
        assertEquals(3, page.path("total").asInt());
        assertEquals(all.path("items").get(2).path("id"), page.path("items").get(0).path("id"), "newest first");
        assertEquals(0, e2e.get("/api/sessions?to=2000-01-01", tenantAdmin).body().path("total").asInt());
        assertEquals(3, e2e.get("/api/sessions?from=2000-01-01", tenantAdmin).body().path("total").asInt());
        assertEquals("invalid.status", e2e.get("/api/sessions?status=sleeping", tenantAdmin).code());
        assertEquals("invalid.from", e2e.get("/api/sessions?from=yesterday", tenantAdmin).code());
        assertEquals("invalid.paging", e2e.get("/api/sessions?offset=-1", tenantAdmin).code());
        assertEquals("invalid.paging", e2e.get("/api/sessions?limit=501", tenantAdmin).code());
        assertEquals("invalid.date_range", e2e.get("/api/sessions?from=2026-11-02&to=2026-11-01", tenantAdmin)
                .code());
    }

    @Test
    void review_endpoints_check_the_caller_and_the_evaluation() throws Exception {
        JsonNode started = e2e.post("/api/sessions", e2e.adminToken, Map.of("candidate_id", candidate,
                "position_id", position)).body();
        String session = started.path("session_id").asText();
        E2eApp.Reply notYet = e2e.post("/api/sessions/" + session + "/evaluation/retry", e2e.adminToken, Map.of());
        assertEquals(409, notYet.status());
        assertEquals("session.not_completed", notYet.code());
        assertEquals("evaluation.missing", e2e.post("/api/sessions/" + session + "/evaluation/overrides",
                e2e.adminToken, Map.of("competency", "Design", "score", 4, "reason", "good")).code());
        assertEquals(403, e2e.post("/api/sessions/" + session + "/evaluation/overrides", tokenOf(started),
                Map.of("competency", "Design", "score", 5, "reason", "me")).status());
        assertEquals(403, e2e.get("/api/sessions/" + session + "/evaluation/overrides", tokenOf(started)).status());
        assertEquals("invalid.request", e2e.post("/api/sessions/" + session + "/evaluation/overrides",
                e2e.adminToken, Map.of("reason", "no score")).code());
        assertEquals(0, e2e.get("/api/sessions/" + session + "/evaluation/overrides", e2e.adminToken).body()
                .path("items").size());
        e2e.post("/api/sessions/" + session + "/cancel", e2e.adminToken, Map.of());
    }

    @Test
    void pages_carry_a_strict_policy_and_no_inline_code() throws Exception {
        for (String path : List.of("/", "/admin", "/room", "/interview/tok_whatever_0000000000000000")) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(e2e.url(path)))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), path);
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), path);
            String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertTrue(csp.contains("default-src 'none'") && csp.contains("script-src 'self'")
                    && csp.contains("style-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
            assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
            assertTrue(csp.contains("media-src 'self' blob: mediastream: https://vod.api.video https://cdn.api.video;"),
                    "the report's player may load recordings from api.video's delivery hosts only: " + csp);
            assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
            assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElse(""));
            assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
            String html = page.body();
            assertFalse(html.matches("(?s).*<script(?![^>]*\\ssrc=)[^>]*>.*"), path + " has an inline script");
            assertFalse(html.contains("<style") || html.contains(" style=") || html.matches("(?s).*\\son[a-z]+=.*"),
                    path + " has inline style or handlers");
        }
        for (String asset : List.of("room.js", "admin.js", "api.js", "messages.js", "recorder.js")) {
            E2eApp.Reply reply = e2e.get("/assets/" + asset, null);
            assertEquals(200, reply.status(), asset);
            assertTrue(reply.contentType().startsWith("text/javascript"), reply.contentType());
        }
        assertTrue(e2e.get("/assets/app.css", null).contentType().startsWith("text/css"));
        E2eApp.Reply missing = e2e.get("/assets/..%2f..%2fetc%2fpasswd", null);
        assertEquals(404, missing.status());
        E2eApp.Reply unknown = e2e.get("/assets/secret.js", null);
        assertEquals("asset.not_found", unknown.code());

        JsonNode room = e2e.get("/api/room/config", null).body();
        assertTrue(room.path("upload_url").asText().endsWith("/upload"), room.toString());
        assertEquals(5 * 1024 * 1024, room.path("upload_part_bytes").asInt());
        JsonNode console = e2e.get("/api/console/config", null).body();
        assertEquals("local", console.path("auth").asText());
    }
}
