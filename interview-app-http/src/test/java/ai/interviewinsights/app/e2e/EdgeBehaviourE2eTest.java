package ai.interviewinsights.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.testing.Fixtures;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Rate limits, CORS, request ids, and secrets that must never reach a log line. */
class EdgeBehaviourE2eTest {

    @Test
    void session_starts_are_rate_limited_per_tenant() throws Exception {
        try (E2eApp e2e = new E2eApp(Map.of("SESSION_RATE_LIMIT_PER_MINUTE", "2"))) {
            Map<String, String> body = Map.of("candidate_id", UUID.randomUUID().toString(),
                    "position_id", UUID.randomUUID().toString());
            assertEquals(404, e2e.post("/api/sessions", e2e.adminToken, body).status());
            assertEquals(404, e2e.post("/api/sessions", e2e.adminToken, body).status());
            E2eApp.Reply limited = e2e.post("/api/sessions", e2e.adminToken, body);
            assertEquals(429, limited.status(), limited.raw());
            assertEquals("rate_limited.sessions", limited.code());
            assertTrue(limited.body().path("retryable").asBoolean(), "retryable, later: " + limited.raw());
            var again = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(e2e.url("/api/sessions"))).header("Authorization", "Bearer " + e2e.adminToken)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"candidate_id\":\"" + UUID.randomUUID() + "\",\"position_id\":\"" + UUID.randomUUID()
                                    + "\"}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(429, again.statusCode(), again.body());
            long retryAfter = Long.parseLong(again.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After in seconds, within the minute: " + retryAfter);
            String otherTenant = e2e.staffToken(new ai.interviewinsights.domain.model.identity.TenantId(
                    UUID.randomUUID()), ai.interviewinsights.domain.model.identity.Role.ADMIN);
            assertEquals(404, e2e.post("/api/sessions", otherTenant, body).status(), "another tenant has its own");
        }
    }

    /**
     * The tenant's session-start limit is its staff's: a candidate's (or a runner's) token, refused a start anyway
     * (403), spends none of it. It did: a candidate looping over {@code POST /api/sessions} with its room token kept
     * every recruiter of the tenant at 429.
     */
    @Test
    void a_session_token_refused_a_start_spends_none_of_the_tenants_session_starts() throws Exception {
        try (E2eApp e2e = new E2eApp(Map.of("SESSION_RATE_LIMIT_PER_MINUTE", "3"))) {
            E2eApp.Reply started = e2e.post("/api/sessions", e2e.adminToken, Map.of("candidate_id",
                    e2e.newCandidate("Ada"), "position_id", e2e.newPosition("SRE", "Operations")));
            assertEquals(201, started.status(), started.raw()); // one of three
            String candidate = E2eApp.candidateToken(started.body().path("websocket_url").asText());
            Map<String, String> body = Map.of("candidate_id", UUID.randomUUID().toString(),
                    "position_id", UUID.randomUUID().toString());
            for (int i = 0; i < 3; i++) {
                E2eApp.Reply refused = e2e.post("/api/sessions", candidate, body);
                assertEquals(403, refused.status(), refused.raw());
                assertEquals("access.staff_only", refused.code());
            }
            assertEquals(404, e2e.post("/api/sessions", e2e.adminToken, body).status(), "two of three");
            assertEquals(404, e2e.post("/api/sessions", e2e.adminToken, body).status(), "three of three");
            assertEquals(429, e2e.post("/api/sessions", e2e.adminToken, body).status(), "the staff's limit holds");
        }
    }

    /**
     * Behind Fly's proxy every request's peer is the proxy: the per-address limit on opening invite links was one
     * bucket for every candidate of every tenant (60 junk links a minute from anyone kept everyone out). With
     * {@code CLIENT_IP_HEADER} the address the proxy writes is the client's; without it that header is anyone's to
     * send and is not read.
     */
    @Test
    void opening_invite_links_is_limited_per_client_address_the_named_proxy_header_gives() throws Exception {
        try (E2eApp behindFly = new E2eApp(Map.of("CLIENT_IP_HEADER", "Fly-Client-IP"))) {
            for (int i = 0; i < 60; i++) {
                assertEquals(404, redeem(behindFly, "junk-" + i, "203.0.113.7").status());
            }
            E2eApp.Reply limited = redeem(behindFly, "junk-60", "203.0.113.7");
            assertEquals(429, limited.status(), limited.raw());
            assertEquals("rate_limited.redeem", limited.code());
            assertEquals(404, redeem(behindFly, "junk-61", "2001:db8::7").status(), "another client, its own");
            assertEquals(404, redeem(behindFly, "junk-62", "not-an-address").status(),
                    "no address in the header: the peer counts, whose bucket is untouched");
        }
        try (E2eApp direct = new E2eApp(Map.of())) {
            for (int i = 0; i < 60; i++) {
                assertEquals(404, redeem(direct, "junk-" + i, "198.51.100." + i).status());
            }
            assertEquals(429, redeem(direct, "junk-60", "198.51.100.99").status(),
                    "unnamed, the header is anyone's to send: the peer counts");
        }
    }

    private static E2eApp.Reply redeem(E2eApp e2e, String token, String clientAddress) throws Exception {
        return e2e.send(HttpRequest.newBuilder(URI.create(e2e.url("/api/invites/redeem")))
                .header("Content-Type", "application/json").header("Fly-Client-IP", clientAddress)
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}")));
    }

    @Test
    void cors_allows_the_configured_origins_only_and_every_response_carries_a_request_id() throws Exception {
        try (E2eApp e2e = new E2eApp(Map.of("CORS_ALLOWED_ORIGINS", "https://app.example.com"))) {
            E2eApp.Reply allowed = e2e.send(HttpRequest.newBuilder(URI.create(e2e.url("/api/positions")))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://app.example.com")
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "authorization,content-type"));
            var response = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(e2e.url("/health"))).header("Origin", "https://app.example.com")
                    .header("X-Request-Id", "trace-123").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals("https://app.example.com",
                    response.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
            assertEquals("trace-123", response.headers().firstValue("X-Request-Id").orElse(""));
            var hostile = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(e2e.url("/health"))).header("Origin", "https://evil.example.net").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertTrue(hostile.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
            assertTrue(hostile.headers().firstValue("X-Request-Id").orElse("").length() >= 32,
                    "a request id is assigned when none is sent");
            assertTrue(allowed.status() < 400, "preflight answered: " + allowed.status());
        }
    }

    @Test
    void no_secret_or_token_ever_reaches_the_logs_of_the_control_plane_or_its_runners() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
        PrintStream original = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        String candidateToken;
        String adminToken;
        // The start-up banner prints the local admin token on purpose; everything after it is watched.
        try (E2eApp e2e = new E2eApp()) {
            logs.start();
            root.addAppender(logs);
            System.setOut(new PrintStream(new TeeStream(original, console), true, StandardCharsets.UTF_8));
            adminToken = e2e.adminToken;
            String position = e2e.post("/api/positions", adminToken, Map.of("title", "E", "competencies",
                    List.of(Map.of("name", "D")))).body().path("id").asText();
            String candidate = e2e.post("/api/candidates", adminToken, Map.of("name", "Bo")).body().path("id")
                    .asText();
            JsonNode started = e2e.post("/api/sessions", adminToken, Map.of("candidate_id", candidate,
                    "position_id", position)).body();
            candidateToken = started.path("websocket_url").asText().replaceAll(".*token=([^&]+).*", "$1");
            e2e.openai.scriptNextCall(FakeOpenAi.list());
            try (BrowserClient browser = new BrowserClient(started.path("websocket_url").asText())) {
                browser.send(Map.of("type", "sdp_offer", "sdp", Fixtures.resource("sdp/chrome-offer.sdp")));
                browser.awaitType("sdp_answer");
                browser.send(Map.of("type", "sdp_offer", "sdp", "v=0\r\nbroken"));
                browser.awaitType("error");
                browser.send(Map.of("type", "end_session"));
                browser.await(m -> "ended".equals(m.path("status").asText()), Duration.ofSeconds(20));
            }
            e2e.get("/api/sessions", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged-signature");
            // The runner's last lines reach the console when its process has exited: its log file is read to the
            // end and then deleted (RunnerLogs.finished). Wait for that, not for a guessed time.
            java.nio.file.Path runnerLogs = e2e.dataDir.resolve("runner-logs");
            Eventually.until("the runner has exited and its last log lines were passed through",
                    Eventually.PATIENCE, () -> e2e.app.localRunners().orElseThrow().pids().isEmpty()
                            && logFiles(runnerLogs).isEmpty(),
                    () -> "runner processes " + e2e.app.localRunners().orElseThrow().pids() + ", log files "
                            + logFiles(runnerLogs));
        } finally {
            System.setOut(original);
            root.detachAppender(logs);
        }
        StringBuilder everything = new StringBuilder(console.toString(StandardCharsets.UTF_8));
        List<ILoggingEvent> events;
        synchronized (logs) { // the app still runs: an append already under way when it was detached ends first
            events = new ArrayList<>(logs.list);
        }
        for (ILoggingEvent event : events) {
            everything.append(event.getFormattedMessage()).append('\n');
            if (event.getThrowableProxy() != null) {
                everything.append(event.getThrowableProxy().getMessage()).append('\n');
            }
        }
        String text = everything.toString();
        assertTrue(text.length() > 200, "the logs were captured: " + text.length());
        assertFalse(text.contains(E2eApp.OPENAI_KEY), "the OpenAI key leaked");
        assertFalse(text.contains(adminToken), "the admin token leaked");
        assertFalse(text.contains(candidateToken), "the candidate token leaked");
        assertFalse(text.contains("RUNNER_TOKEN="), "the runner token leaked");
    }

    /** The runner log files still open (a runner still running, or its last lines not yet passed through). */
    private static List<String> logFiles(java.nio.file.Path folder) {
        try (var files = java.nio.file.Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".log")).toList();
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes to two streams. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int value) throws java.io.IOException {
            a.write(value);
            b.write(value);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
