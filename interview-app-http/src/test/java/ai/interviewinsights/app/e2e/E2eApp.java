package ai.interviewinsights.app.e2e;

import ai.interviewinsights.adapters.supabase.SupabaseTokenMinter;
import ai.interviewinsights.app.ControlPlaneApp;
import ai.interviewinsights.app.web.Json;
import ai.interviewinsights.app.config.SecretFiles;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The real app, started on a random port with its embedded defaults (embedded PostgreSQL in a temporary data
 * directory, local process runners) and a fake OpenAI speaking the real wire protocol; plus an HTTP client.
 */
public final class E2eApp implements AutoCloseable {

    /** The environment the app gets (without the data directory and port). */
    static Map<String, String> baseEnvironment(FakeOpenAi openai) {
        Map<String, String> env = new HashMap<>();
        env.put("HOST", "127.0.0.1");
        env.put("LOG_FORMAT", "text");
        env.put("OPENAI_API_KEY", OPENAI_KEY);
        env.put("OPENAI_BASE_URL", openai.baseUrl());
        env.put("REAPER_INTERVAL_SECONDS", "1");
        env.put("RECONCILE_INTERVAL_SECONDS", "3600");
        return env;
    }

    public static final String OPENAI_KEY = "sk-e2e-test-key-0123456789abcdefghijklmnop";

    public final FakeOpenAi openai;
    public final FakeApiVideo apiVideo;
    final Path dataDir;
    /** An app's own temporary data directory (its database, ~100 MB) goes with it: runs left them behind by the thousand. */
    private final boolean ownsDataDir;
    final ControlPlaneApp app;
    public final String adminToken;
    final TenantId tenant;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = Json.mapper();

    E2eApp() throws Exception {
        this(Map.of());
    }

    public static E2eApp start() throws Exception {
        return new E2eApp();
    }

    /** With extra environment variables (a smaller RECORDING_PART_BYTES; {@code OPENAI_API_KEY=""} for the local realtime endpoint). */
    public static E2eApp start(Map<String, String> extra) throws Exception {
        return new E2eApp(extra);
    }

    E2eApp(Map<String, String> extra) throws Exception {
        this(new FakeOpenAi(), Files.createTempDirectory("ii-e2e-"), extra, true);
    }

    /** The app on a given data directory (a restart after a crash) and a given fake OpenAI (kept across it). */
    E2eApp(FakeOpenAi openai, Path dataDir, Map<String, String> extra) throws Exception {
        this(openai, dataDir, extra, false);
    }

    /** @param ownsDataDir whether {@link #close} deletes the data directory (it made it; nobody reuses it) */
    private E2eApp(FakeOpenAi openai, Path dataDir, Map<String, String> extra, boolean ownsDataDir)
            throws Exception {
        this.ownsDataDir = ownsDataDir;
        this.openai = openai;
        apiVideo = new FakeApiVideo();
        this.dataDir = dataDir;
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("HOST", "127.0.0.1");
        env.put("DATA_DIR", dataDir.toString());
        env.put("LOG_FORMAT", "text");
        env.put("OPENAI_API_KEY", OPENAI_KEY);
        env.put("OPENAI_BASE_URL", openai.baseUrl());
        env.put("REAPER_INTERVAL_SECONDS", "1");
        env.put("RECONCILE_INTERVAL_SECONDS", "3600");
        env.put("APIVIDEO_API_KEY", FakeApiVideo.API_KEY);
        env.put("APIVIDEO_BASE_URL", apiVideo.baseUrl());
        env.put("APIVIDEO_WEBHOOK_SECRET", FakeApiVideo.WEBHOOK_SECRET);
        env.putAll(extra);
        app = ControlPlaneApp.start(env);
        // With Supabase Auth there is no local default: no bootstrap tenant and no printed admin token.
        adminToken = app.bootstrap().map(b -> b.adminToken().reveal()).orElse(null);
        tenant = app.bootstrap().map(b -> b.tenant()).orElse(null);
    }

    /** The app itself (its local realtime endpoint, its local runners). */
    public ControlPlaneApp app() {
        return app;
    }

    public ai.interviewinsights.domain.service.InterviewServices services() {
        return app.services();
    }

    public int port() {
        return app.port();
    }

    /** The control plane itself (its local runners, for tests that make a runner go away). */
    public ControlPlaneApp controlPlane() {
        return app;
    }

    /** The local default's tenant. */
    public TenantId tenant() {
        return tenant;
    }

    /** A position with one competency, made by the local default's admin: its id. */
    String newPosition() throws Exception {
        return newPosition("SRE", "Operations");
    }

    /** A position titled {@code title} with the one competency {@code competency}, made by the admin: its id. */
    public String newPosition(String title, String competency) throws Exception {
        return post("/api/positions", adminToken, Map.of("title", title, "competencies",
                List.of(Map.of("name", competency)))).body().path("id").asText();
    }

    /** A candidate named {@code name}, made by the local default's admin: its id. */
    public String newCandidate(String name) throws Exception {
        return post("/api/candidates", adminToken, Map.of("name", name)).body().path("id").asText();
    }

    /** A new candidate's session for {@code position}, started by the admin (its 201 checked). */
    Reply startSession(String position, String candidateName) throws Exception {
        String candidate = newCandidate(candidateName);
        Reply started = post("/api/sessions", adminToken, Map.of("candidate_id", candidate, "position_id",
                position));
        if (started.status() != 201) {
            throw new AssertionError("session not started: " + started.raw());
        }
        return started;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + app.port() + path;
    }

    /** A staff token for any tenant, signed like the local default's (the tenant is registered first). */
    String staffToken(TenantId tenant, Role role) {
        app.services().registerTenant().register(tenant, "Tenant " + tenant.toString().substring(0, 8));
        return minter(Clock.systemUTC()).mint(tenant, new UserId(UUID.randomUUID()), role, Duration.ofHours(1))
                .reveal();
    }

    SupabaseTokenMinter minter(Clock clock) {
        return new SupabaseTokenMinter(URI.create("http://auth.interview-insights.local"),
                SecretFiles.secret(dataDir.resolve("local-jwt-secret")), clock);
    }

    /** The app's {@code /metrics} (Prometheus text), read with the metrics token the app wrote at its start. */
    public String metrics() throws Exception {
        String token = java.nio.file.Files.readString(dataDir.resolve("metrics-token")).strip();
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url("/metrics"))).header("Authorization", "Bearer " + token)
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + response.statusCode());
        }
        return response.body();
    }

    /** The count of {@code interview_runner_pool_claims_total} for an architecture and outcome (0 when absent). */
    public double runnerClaims(String architecture, String outcome) throws Exception {
        return value(metrics(), "interview_runner_pool_claims_total{architecture=\"" + architecture
                + "\",outcome=\"" + outcome + "\"}");
    }

    /** The value of one series (name and labels, as Prometheus prints them) in a scrape; 0 when absent. */
    public static double value(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length()).strip())).orElse(0.0);
    }

    public Reply get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    public Reply post(String path, String token, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : json.writeValueAsString(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    public Reply put(String path, String token, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    /** Opens an invite link as the room does: reads the lobby, then starts with consent to the notice shown. */
    public Reply redeem(String inviteToken) throws Exception {
        return redeem(inviteToken, null);
    }

    /** The same, asking for the recording's grant {@code with_the_start} or {@code after_ready} (null: neither). */
    public Reply redeem(String inviteToken, String recordingGrant) throws Exception {
        Reply lobby = post("/api/invites/lobby", null, Map.of("token", inviteToken));
        String version = lobby.body().path("notice").path("version").asText("n1-unknown");
        Map<String, Object> body = new java.util.HashMap<>(Map.of("token", inviteToken, "consent", Map.of(
                "notice_version", version, "ai_evaluation", true, "recording", true)));
        if (recordingGrant != null) {
            body.put("recording_grant", recordingGrant);
        }
        return post("/api/invites/redeem", null, body);
    }

    public Reply send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isEmpty() ? json.nullNode() : readOrText(response.body());
        return new Reply(response.statusCode(), body, response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }

    private JsonNode readOrText(String body) {
        try {
            return json.readTree(body);
        } catch (Exception e) {
            return json.getNodeFactory().textNode(body);
        }
    }

    /** The candidate's session token a runner's WebSocket URL carries (what the room uses for its own calls). */
    public static String candidateToken(String websocketUrl) {
        return URI.create(websocketUrl).getQuery().replaceAll("(^|.*&)token=([^&]*).*", "$2");
    }

    /** An HTTP reply: status, parsed body, content type. */
    public record Reply(int status, JsonNode body, String contentType, String raw) {
        String code() {
            return body.path("code").asText();
        }
    }

    @Override
    public void close() throws Exception {
        app.close();
        openai.close();
        apiVideo.close();
        if (ownsDataDir) {
            deleteQuietly(dataDir);
        }
    }

    private static void deleteQuietly(Path folder) {
        try (var paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // best effort: a temporary directory
        }
    }
}
