package ai.interviewinsights.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.audit.AuditEvent;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.TenantId;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * DELETE /api/candidates/{id} over HTTP on the real app: the live interview's runner process goes, api.video
 * receives the deletes, the candidate's sessions and reports answer 404, and the receipt is in the audit log.
 */
class CandidateErasureE2eTest {

    private static E2eApp.Reply delete(E2eApp e2e, String path, String token) throws Exception {
        return e2e.send(HttpRequest.newBuilder(URI.create(e2e.url(path))).DELETE()
                .header("Authorization", "Bearer " + token));
    }

    @Test
    void an_admin_erases_a_candidate_over_http_and_everything_about_them_is_gone() throws Exception {
        try (E2eApp e2e = new E2eApp()) {
            String position = e2e.post("/api/positions", e2e.adminToken, Map.of("title", "Engineer",
                    "competencies", List.of(Map.of("name", "Design", "weight", 1)))).body().path("id").asText();
            String ada = e2e.post("/api/candidates", e2e.adminToken, Map.of("name", "Ada Erasable",
                    "email", "ada.erasable@example.com")).body().path("id").asText();
            String bob = e2e.post("/api/candidates", e2e.adminToken, Map.of("name", "Bob Kept")).body()
                    .path("id").asText();
            E2eApp.Reply started = e2e.post("/api/sessions", e2e.adminToken, Map.of("candidate_id", ada,
                    "position_id", position));
            assertEquals(201, started.status(), started.raw());
            String session = started.body().path("session_id").asText();
            String video = started.body().path("recording").path("video_id").asText();
            assertFalse(video.isEmpty(), started.raw());
            assertTrue(e2e.app.localRunners().orElseThrow().listLive().stream()
                    .anyMatch(r -> session.equals(String.valueOf(r.session()))), "a runner process is live");

            String interviewer = e2e.staffToken(e2e.tenant, Role.INTERVIEWER);
            E2eApp.Reply refused = delete(e2e, "/api/candidates/" + ada, interviewer);
            assertEquals(403, refused.status(), refused.raw());
            assertEquals("access.admin_only", refused.code());
            String otherAdmin = e2e.staffToken(new TenantId(UUID.randomUUID()), Role.ADMIN);
            assertEquals(404, delete(e2e, "/api/candidates/" + ada, otherAdmin).status(), "another tenant's admin");
            assertEquals(200, e2e.get("/api/sessions/" + session, e2e.adminToken).status(), "nothing erased yet");

            E2eApp.Reply erased = delete(e2e, "/api/candidates/" + ada, e2e.adminToken);
            assertEquals(200, erased.status(), erased.raw());
            assertEquals(ada, erased.body().path("candidate").asText());
            assertEquals(1, erased.body().path("sessions").asInt());
            assertEquals(1, erased.body().path("keys_destroyed").asInt());
            assertEquals(1, erased.body().path("videos_deleted").asInt());
            assertEquals(1, erased.body().path("runners_stopped").asInt());
            assertFalse(erased.raw().contains("Erasable"), "the receipt holds no personal data: " + erased.raw());

            assertEquals(List.of(video), e2e.apiVideo.deleted, "api.video received the delete");
            assertEquals(404, e2e.get("/api/sessions/" + session, e2e.adminToken).status());
            assertEquals(404, e2e.get("/api/sessions/" + session + "/report", e2e.adminToken).status());
            assertEquals(404, e2e.get("/api/candidates/" + ada, e2e.adminToken).status());
            assertEquals(404, delete(e2e, "/api/candidates/" + ada, e2e.adminToken).status(), "erased once");
            assertEquals(200, e2e.get("/api/candidates/" + bob, e2e.adminToken).status(), "others are kept");
            Eventually.until("the runner process is gone", Eventually.PATIENCE,
                    () -> e2e.app.localRunners().orElseThrow().listLive().stream()
                            .noneMatch(r -> session.equals(String.valueOf(r.session()))),
                    () -> "live " + e2e.app.localRunners().orElseThrow().listLive());

            AuditEvent receipt = e2e.app.auditEvents(e2e.tenant, 50).stream()
                    .filter(e -> e.action().equals("candidate.erased")).findFirst().orElseThrow();
            assertEquals("candidate:" + ada, receipt.subject());
            assertTrue(receipt.actor().startsWith("admin:"), receipt.actor());
            assertEquals("request", receipt.details().get("trigger"));
            assertEquals("1", receipt.details().get("videos_deleted"));
            assertFalse(receipt.toString().contains("Erasable"));
        }
    }
}
