package ai.interviewinsights.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.Main;
import java.io.IOException;
import ai.interviewinsights.adapters.supabase.MasterKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Start-up: a bad environment stops the app with a message naming the variable; a missing OpenAI key does not. */
class StartupE2eTest {

    private record Exit(int code, String output) {
    }

    private static Exit runMain(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        builder.environment().putAll(env);
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the app should stop by itself");
        return new Exit(process.exitValue(), new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8));
    }

    @Test
    void an_invalid_database_url_stops_start_up_with_a_message_naming_it() throws Exception {
        Path data = Files.createTempDirectory("ii-startup-");
        Exit exit = runMain(Map.of("DATA_DIR", data.toString(), "PORT", "0",
                "DATABASE_URL", "mysql://root@localhost/db", "OPENAI_API_KEY", "sk-startup-secret-value-123"));
        assertEquals(2, exit.code(), exit.output());
        assertTrue(exit.output().contains("DATABASE_URL"), exit.output());
        assertTrue(exit.output().contains("SESSION_TOKEN_SECRET"), "every problem at once: " + exit.output());
        assertTrue(exit.output().contains("ENCRYPTION_MASTER_KEY is required with DATABASE_URL"),
                "the missing master key is named: " + exit.output());
        assertFalse(exit.output().contains("sk-startup-secret-value-123"), exit.output());
        assertFalse(exit.output().contains("\tat "), "no stack trace: " + exit.output());
    }

    @Test
    void an_unreachable_database_stops_start_up_with_a_message_naming_it() throws Exception {
        Path data = Files.createTempDirectory("ii-startup-");
        Exit exit = runMain(Map.of("DATA_DIR", data.toString(), "PORT", "0",
                "DATABASE_URL", "postgresql://app:pw@127.0.0.1:1/interviews",
                "SESSION_TOKEN_SECRET", "0123456789abcdef0123456789abcdef",
                "ENCRYPTION_MASTER_KEY", MasterKey.generate().export().reveal()));
        assertEquals(2, exit.code(), exit.output());
        assertTrue(exit.output().contains("DATABASE_URL: cannot connect"), exit.output());
        assertFalse(exit.output().contains("pw@"), exit.output());
    }

    @Test
    void without_an_openai_key_the_app_starts_reports_realtime_unconfigured_and_answers_503_naming_the_variable()
            throws Exception {
        try (E2eApp e2e = new E2eApp(Map.of("OPENAI_API_KEY", "", "APIVIDEO_API_KEY", "",
                "LOCAL_REALTIME", "off"))) {
            E2eApp.Reply health = e2e.get("/health", null);
            assertEquals(200, health.status());
            assertTrue(health.body().path("components").path("realtime").asText().startsWith("unconfigured"),
                    health.raw());
            assertEquals(200, e2e.get("/ready", null).status());
            String position = e2e.post("/api/positions", e2e.adminToken, Map.of("title", "E", "competencies",
                    List.of(Map.of("name", "D")))).body().path("id").asText();
            String candidate = e2e.post("/api/candidates", e2e.adminToken, Map.of("name", "Bo")).body().path("id")
                    .asText();
            E2eApp.Reply started = e2e.post("/api/sessions", e2e.adminToken, Map.of("candidate_id", candidate,
                    "position_id", position));
            assertEquals(201, started.status(), started.raw());
            assertTrue(started.body().has("video_token") && started.body().get("video_token").isNull(),
                    "the design's field is there, null: recording is off");
            assertTrue(started.body().path("recording").path("reason").asText().contains("APIVIDEO_API_KEY"));
            E2eApp.Reply secret = e2e.post("/api/realtime/sessions", e2e.adminToken,
                    Map.of("session_id", started.body().path("session_id").asText()));
            assertEquals(503, secret.status(), secret.raw());
            assertEquals("realtime.not_configured", secret.code());
            assertTrue(secret.body().path("detail").asText().contains("OPENAI_API_KEY"));
        }
    }

    @Test
    void the_served_openapi_document_is_the_one_in_docs_and_metrics_are_prometheus() throws Exception {
        try (E2eApp e2e = new E2eApp()) {
            E2eApp.Reply served = e2e.get("/openapi.yaml", null);
            assertEquals(200, served.status());
            Path docs = Path.of(System.getProperty("user.dir")).resolve("../docs/openapi.yaml").normalize();
            assertEquals(Files.readString(docs), served.raw());
            E2eApp.Reply metrics = e2e.get("/metrics",
                    Files.readString(e2e.dataDir.resolve("metrics-token")).strip());
            assertTrue(metrics.raw().contains("jvm_memory_used_bytes"), metrics.raw());
            assertTrue(metrics.raw().contains("http_server_requests"), "requests are timed");
            for (String path : List.of("/api/positions", "/api/candidates", "/api/invites", "/api/sessions")) {
                assertTrue(served.raw().contains("  " + path + ":"), path + " is documented");
                assertEquals(200, e2e.get(path, e2e.adminToken).status(), path);
            }
        }
    }
}
