package ai.interviewinsights.app.e2e;

import static ai.interviewinsights.app.e2e.FakeOpenAi.added;
import static ai.interviewinsights.app.e2e.FakeOpenAi.aiDone;
import static ai.interviewinsights.app.e2e.FakeOpenAi.userCompleted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.ControlPlaneApp;
import ai.interviewinsights.app.web.Json;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.testing.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 10, runner leases (ADR 0018): two control planes on one database, each on its own data directory (its own
 * runner processes, its own lease holder), as two machines would be. A session started on instance A is rejoined
 * through instance B while A runs its runner: B finds that runner through its lease and starts nothing. When A goes
 * away (stopped: its runner flushes and stops, its lease ends), a rejoin through B gives the same session a fresh
 * runner on B, which carries on after the stored transcript; the interview ends there with every turn stored once,
 * in order, and no runner process left.
 *
 * <p>Instance B runs the embedded PostgreSQL (it must outlive A); A reaches it through DATABASE_URL as the app's
 * role and shares B's keys and staff-token secret, as production instances share their secrets.
 */
class RunnerLeasesAcrossInstancesE2eTest {

    private static final String SESSION_SECRET = "session-token-secret-shared-by-both-instances-0123";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = Json.mapper();

    /**
     * Run with each instance's standby pool off and on (one hybrid standby, as {@code scripts/run} starts): a claimed
     * standby is as much this instance's process as a cold runner. With the pool on, the pool answered the port's
     * defaults (a provider that sees every runner, none running here), so instance B found A's live runner "gone" at
     * once, without its lease, and gave the session a second runner; and no lease was ever renewed.
     */
    @ParameterizedTest(name = "standby pool size {0}")
    @ValueSource(ints = {0, 1})
    void a_session_started_on_one_instance_is_rejoined_through_another_and_resumed_there_once_the_first_is_gone(
            int poolSize) throws Exception {
        try (FakeOpenAi openai = new FakeOpenAi()) {
            Path dirB = Files.createTempDirectory("ii-lease-b-");
            Path dirA = Files.createTempDirectory("ii-lease-a-");
            Map<String, String> common = E2eApp.baseEnvironment(openai);
            common.put("PORT", "0");
            common.put("SESSION_TOKEN_SECRET", SESSION_SECRET);
            common.put("RUNNER_POOL_SIZE_HYBRID", Integer.toString(poolSize));
            Map<String, String> envB = new HashMap<>(common);
            envB.put("DATA_DIR", dirB.toString());
            try (ControlPlaneApp b = ControlPlaneApp.start(envB)) {
                for (String shared : List.of("local-jwt-secret", "default-tenant-id", "default-admin-id")) {
                    Files.copy(dirB.resolve(shared), dirA.resolve(shared));
                }
                Map<String, String> envA = new HashMap<>(common);
                envA.put("DATA_DIR", dirA.toString());
                List<String> pid = Files.readAllLines(dirB.resolve("postgres").resolve("postmaster.pid"));
                envA.put("DATABASE_URL", "jdbc:postgresql://localhost:" + pid.get(3).strip() + "/postgres");
                envA.put("DATABASE_USER", "interview_app");
                envA.put("DATABASE_PASSWORD",
                        Files.readString(dirB.resolve("postgres-interview_app-password")).strip());
                envA.put("ENCRYPTION_MASTER_KEY", Files.readString(dirB.resolve("encryption-master-key")).strip());
                String admin = b.bootstrap().orElseThrow().adminToken().reveal();
                TenantId tenant = b.bootstrap().orElseThrow().tenant();

                String sessionId;
                String firstEndpoint;
                long firstRunner;
                ControlPlaneApp a = ControlPlaneApp.start(envA);
                try {
                    String position = body(post(a, "/api/positions", admin, Map.of("title", "SRE", "competencies",
                            List.of(Map.of("name", "On-call")))), 201).path("id").asText();
                    String candidate = body(post(a, "/api/candidates", admin, Map.of("name", "Grace")), 201)
                            .path("id").asText();
                    JsonNode started = body(post(a, "/api/sessions", admin, Map.of("candidate_id", candidate,
                            "position_id", position)), 201);
                    sessionId = started.path("session_id").asText();
                    firstEndpoint = endpoint(started.path("websocket_url").asText());
                    firstRunner = Long.parseLong(body(get(a, "/api/sessions/" + sessionId, admin), 200)
                            .path("runner").path("id").asText());
                    assertTrue(runnerPids(a).contains(firstRunner), "A runs the runner");

                    openai.scriptNextCall(FakeOpenAi.list(added("item_a1", null, "assistant"),
                            aiDone("item_a1", "Walk me through an outage you handled."),
                            added("item_u1", "item_a1", "user"), userCompleted("item_u1", "The disk filled up.")));
                    try (BrowserClient browser = new BrowserClient(started.path("websocket_url").asText())) {
                        browser.send(Map.of("type", "sdp_offer", "sdp", Fixtures.resource("sdp/chrome-offer.sdp")));
                        browser.awaitType("sdp_answer");
                        browser.awaitDurable(List.of("item_a1", "item_u1"), Duration.ofSeconds(30));
                    }

                    // Through B while A runs it: the same runner, found through its lease; B starts nothing.
                    JsonNode throughB = body(post(b, "/api/sessions/" + sessionId + "/rejoin", admin, Map.of()), 200);
                    assertEquals(sessionId, throughB.path("session_id").asText());
                    assertEquals(firstEndpoint, endpoint(throughB.path("websocket_url").asText()),
                            "the runner A runs, not a fresh one");
                    assertTrue(runnerPids(b).isEmpty(), "B started no runner");
                    assertEquals(0, replacements(b, tenant));
                } finally {
                    a.close(); // A goes away: its runner flushes and stops, the session stays live, the lease ends
                }
                assertFalse(ProcessHandle.of(firstRunner).map(ProcessHandle::isAlive).orElse(false),
                        "A's runner is gone with A");

                // Through B again: a fresh runner on B for the same session, which carries on after what is stored.
                JsonNode resumed = body(post(b, "/api/sessions/" + sessionId + "/rejoin", admin, Map.of()), 200);
                assertEquals(sessionId, resumed.path("session_id").asText());
                assertNotEquals(firstEndpoint, endpoint(resumed.path("websocket_url").asText()));
                assertEquals(1, runnerPids(b).size(), "B runs the fresh runner");
                assertEquals(1, replacements(b, tenant));

                openai.scriptNextCall(FakeOpenAi.list(added("item_a2", null, "assistant"),
                        aiDone("item_a2", "How did you find the cause?"),
                        added("item_u2", "item_a2", "user"), userCompleted("item_u2", "The disk alert fired.")));
                try (BrowserClient browser = new BrowserClient(resumed.path("websocket_url").asText())) {
                    browser.send(Map.of("type", "sdp_offer", "sdp", Fixtures.resource("sdp/chrome-offer.sdp")));
                    browser.awaitType("sdp_answer");
                    browser.awaitDurable(List.of("item_a2", "item_u2"), Duration.ofSeconds(30));
                    browser.send(Map.of("type", "end_session"));
                    browser.await(m -> "ended".equals(m.path("status").asText()), Duration.ofSeconds(30));
                }

                JsonNode report = Eventually.until("the session is completed", Eventually.PATIENCE,
                        () -> body(get(b, "/api/sessions/" + sessionId + "/report", admin), 200),
                        r -> "completed".equals(r.path("session").path("status").asText()));
                List<String> lines = new ArrayList<>();
                report.path("transcript").forEach(e -> lines.add(e.path("position").asLong() + " "
                        + e.path("speaker").asText() + " " + e.path("text").asText()));
                assertEquals(List.of("0 ai Walk me through an outage you handled.", "1 candidate The disk filled up.",
                        "2 ai How did you find the cause?", "3 candidate The disk alert fired."), lines,
                        "every turn once, in order, positions continued by the fresh runner");
                // The rejoin route, tried by hostile callers: another tenant's admin, the candidate's own token,
                // a malformed id; and the finished session stays finished.
                String candidateToken = resumed.path("websocket_url").asText().replaceAll(".*token=([^&]+).*", "$1");
                TenantId otherTenant = new TenantId(java.util.UUID.randomUUID());
                b.services().registerTenant().register(otherTenant, "Other Company");
                String otherAdmin = new ai.interviewinsights.adapters.supabase.SupabaseTokenMinter(
                        URI.create("http://auth.interview-insights.local"),
                        ai.interviewinsights.app.config.SecretFiles.secret(dirB.resolve("local-jwt-secret")),
                        java.time.Clock.systemUTC()).mint(otherTenant, new ai.interviewinsights.domain.model.identity
                        .UserId(java.util.UUID.randomUUID()), ai.interviewinsights.domain.model.identity.Role.ADMIN,
                        Duration.ofHours(1)).reveal();
                assertProblem(post(b, "/api/sessions/" + sessionId + "/rejoin", otherAdmin, Map.of()), 404,
                        "session.not_found");
                assertProblem(post(b, "/api/sessions/" + sessionId + "/rejoin", candidateToken, Map.of()), 403,
                        null);
                assertProblem(post(b, "/api/sessions/not-a-uuid/rejoin", admin, Map.of()), 400, null);
                assertProblem(post(b, "/api/sessions/" + sessionId + "/rejoin", admin, Map.of()), 410,
                        "session.not_live");

                Eventually.until("no runner process is left", Eventually.PATIENCE,
                        () -> runnerPids(b).isEmpty(), () -> "runners " + runnerPids(b));
                assertTrue(openai.hungUp.containsAll(openai.createdCalls()),
                        "every call created was hung up: " + openai.createdCalls() + " vs " + openai.hungUp);
            }
        }
    }

    /** The processes serving sessions on an instance: its cold starts and its claimed standbys (not those waiting). */
    private static List<Long> runnerPids(ControlPlaneApp app) {
        List<Long> pids = new ArrayList<>(app.localRunners().orElseThrow().pids());
        app.standbyRunners().ifPresent(pool -> pids.addAll(pool.claimedPids()));
        return pids;
    }

    /** A problem document with the status and, when given, the code; never a stack trace. */
    private void assertProblem(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode problem = json.readTree(response.body());
        assertFalse(problem.path("code").asText().isEmpty(), response.body());
        if (code != null) {
            assertEquals(code, problem.path("code").asText(), response.body());
        }
        assertFalse(response.body().contains("Exception"), response.body());
    }

    /** A runner's endpoint: its WebSocket URL without the session's query. */
    private static String endpoint(String websocketUrl) {
        return websocketUrl.substring(0, websocketUrl.indexOf('?'));
    }

    private static long replacements(ControlPlaneApp app, TenantId tenant) {
        return app.auditEvents(tenant, 200).stream().filter(e -> e.action().equals("session.runner_replaced"))
                .count();
    }

    private JsonNode body(HttpResponse<String> response, int expected) throws Exception {
        assertEquals(expected, response.statusCode(), response.body());
        return json.readTree(response.body());
    }

    private HttpResponse<String> post(ControlPlaneApp app, String path, String token, Object body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(90))
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(ControlPlaneApp app, String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
