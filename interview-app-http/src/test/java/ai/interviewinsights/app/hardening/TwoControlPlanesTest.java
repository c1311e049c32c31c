package ai.interviewinsights.app.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.ControlPlaneApp;
import ai.interviewinsights.app.web.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Two control planes on one database behave as one: the per-tenant rate limit holds across both, and a webhook
 * delivered to both is processed once. Instance A runs the embedded PostgreSQL; instance B reaches the same
 * database through DATABASE_URL as the app role, and shares A's DATA_DIR only for the local default's secrets.
 */
class TwoControlPlanesTest {

    private static final String SESSION_SECRET = "session-token-secret-shared-by-both-instances-0123";
    private static final String WEBHOOK_SECRET = "webhook-signing-secret-0123456789";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = Json.mapper();

    @Test
    void the_rate_limit_holds_across_instances_and_a_webhook_delivered_to_both_is_processed_once() throws Exception {
        Path dataDir = Files.createTempDirectory("ii-two-");
        Map<String, String> common = new HashMap<>(Map.of("HOST", "127.0.0.1", "PORT", "0", "LOG_FORMAT", "text",
                "DATA_DIR", dataDir.toString(), "SESSION_TOKEN_SECRET", SESSION_SECRET,
                "SESSION_RATE_LIMIT_PER_MINUTE", "2", "APIVIDEO_API_KEY", "apivideo-test-key-0123456789",
                "APIVIDEO_BASE_URL", "http://127.0.0.1:9", "APIVIDEO_WEBHOOK_SECRET", WEBHOOK_SECRET));
        try (ControlPlaneApp a = ControlPlaneApp.start(common)) {
            Map<String, String> viaUrl = new HashMap<>(common);
            List<String> pid = Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"));
            viaUrl.put("DATABASE_URL", "jdbc:postgresql://localhost:" + pid.get(3).strip() + "/postgres");
            viaUrl.put("DATABASE_USER", "interview_app");
            viaUrl.put("DATABASE_PASSWORD",
                    Files.readString(dataDir.resolve("postgres-interview_app-password")).strip());
            // Both instances share the tenants' keys: the same master key, as production's secret would be.
            viaUrl.put("ENCRYPTION_MASTER_KEY", Files.readString(dataDir.resolve("encryption-master-key")).strip());
            try (ControlPlaneApp b = ControlPlaneApp.start(viaUrl)) {
                String admin = a.bootstrap().orElseThrow().adminToken().reveal();
                String position = body(post(a, "/api/positions", admin, "{\"title\":\"SRE\",\"competencies\":"
                        + "[{\"name\":\"On-call\"}]}"), 201).path("id").asText();
                String candidate = body(post(b, "/api/candidates", admin, "{\"name\":\"Grace\"}"), 201)
                        .path("id").asText();
                String start = "{\"candidate_id\":\"" + candidate + "\",\"position_id\":\"" + position + "\"}";

                // Two starts a minute for the tenant: one on each instance, then neither allows a third.
                List<String> sessions = new java.util.ArrayList<>();
                sessions.add(body(post(a, "/api/sessions", admin, start), 201).path("session_id").asText());
                sessions.add(body(post(b, "/api/sessions", admin, start), 201).path("session_id").asText());
                for (ControlPlaneApp instance : List.of(a, b)) {
                    HttpResponse<String> refused = post(instance, "/api/sessions", admin, start);
                    assertEquals(429, refused.statusCode(), refused.body());
                    assertEquals("rate_limited.sessions", json.readTree(refused.body()).path("code").asText());
                }

                // The same signed delivery reaches both instances (a retry landing elsewhere): processed once.
                String event = "{\"type\":\"video.encoding.quality.completed\",\"emittedAt\":"
                        + "\"2026-11-28T10:00:00.000Z\",\"videoId\":\"vi4blUQJFrYWbaG44NChkH27\","
                        + "\"encoding\":\"hls\",\"quality\":\"720p\"}";
                HttpResponse<String> first = webhook(a, event);
                HttpResponse<String> second = webhook(b, event);
                HttpResponse<String> third = webhook(a, event);
                assertEquals(200, first.statusCode(), first.body());
                assertEquals("processed", json.readTree(first.body()).path("status").asText());
                assertEquals("duplicate", json.readTree(second.body()).path("status").asText(), second.body());
                assertEquals("duplicate", json.readTree(third.body()).path("status").asText());

                for (String session : sessions) {
                    post(a, "/api/sessions/" + session + "/cancel", admin, "{}");
                }
            }
        }
    }

    private HttpResponse<String> webhook(ControlPlaneApp app, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                        + "/api/webhooks/apivideo")).header("Content-Type", "application/json")
                .header("X-Api-Video-Signature", signature).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode body(HttpResponse<String> response, int expected) throws Exception {
        assertEquals(expected, response.statusCode(), response.body());
        return json.readTree(response.body());
    }

    private HttpResponse<String> post(ControlPlaneApp app, String path, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
