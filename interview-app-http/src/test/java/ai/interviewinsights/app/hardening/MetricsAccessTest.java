package ai.interviewinsights.app.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.ControlPlaneApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /metrics is never open to whoever reaches the API: a token on the main port, or a port of its own. */
class MetricsAccessTest {

    private static final String TOKEN = "metrics-token-for-the-test-0123456789";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void by_default_metrics_need_the_generated_token() throws Exception {
        Path dataDir = Files.createTempDirectory("ii-metrics-");
        try (ControlPlaneApp app = ControlPlaneApp.start(Map.of("PORT", "0", "HOST", "127.0.0.1",
                "DATA_DIR", dataDir.toString(), "LOG_FORMAT", "text"))) {
            String generated = Files.readString(dataDir.resolve("metrics-token")).strip();
            HttpResponse<String> anonymous = get(app.port(), null);
            assertEquals(401, anonymous.statusCode());
            assertTrue(anonymous.body().contains("\"code\":\"auth.metrics_token\""), anonymous.body());
            assertEquals(401, get(app.port(), "wrong-" + generated).statusCode());
            HttpResponse<String> scraped = get(app.port(), generated);
            assertEquals(200, scraped.statusCode());
            assertTrue(scraped.body().contains("jvm_memory_used_bytes"));
            assertFalse(scraped.body().contains(generated), "the token is not a metric label");
        }
    }

    @Test
    void with_a_metrics_port_the_main_port_serves_none_and_the_metrics_port_asks_for_the_token() throws Exception {
        Path dataDir = Files.createTempDirectory("ii-metrics-");
        try (ControlPlaneApp app = ControlPlaneApp.start(Map.of("PORT", "0", "HOST", "127.0.0.1",
                "DATA_DIR", dataDir.toString(), "LOG_FORMAT", "text", "METRICS_PORT", "0",
                "METRICS_TOKEN", TOKEN))) {
            int metricsPort = app.metricsPort().orElseThrow();
            assertEquals(404, get(app.port(), TOKEN).statusCode(), "not on the main port");
            assertEquals(401, get(metricsPort, null).statusCode());
            HttpResponse<String> scraped = get(metricsPort, TOKEN);
            assertEquals(200, scraped.statusCode());
            assertTrue(scraped.body().contains("jvm_memory_used_bytes"));
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort
                    + "/api/positions")).build(), HttpResponse.BodyHandlers.ofString()).statusCode(),
                    "the metrics port serves metrics only");
            assertFalse(Files.exists(dataDir.resolve("metrics-token")), "nothing generated when configured");
        }
    }

    private HttpResponse<String> get(int port, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
