package ai.interviewinsights.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.controlplane.runnerapi.RunnerApi;
import ai.interviewinsights.app.observability.Metrics;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The control plane's per-request log line (decision 26): every route logs one INFO line, except the runners' hot
 * transcript writes, which log at INFO only when they fail or are slow and at DEBUG otherwise - and no line, hot or
 * not, carries the caller's token or the raw path. A real Javalin server and a real HTTP client.
 */
class HttpObservabilityTest {

    private static final String RUNNER_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJydW5uZXIifQ.c2lnbmF0dXJlLXNlY3JldA";

    private final Logger logger = (Logger) LoggerFactory.getLogger(ControlPlaneApp.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private Level level;
    private Javalin app;

    @BeforeEach
    void start() {
        level = logger.getLevel();
        logs.start();
        logger.addAppender(logs);
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = 0;
            HttpObservability.install(config, new Metrics());
            config.routes.post(RunnerApi.TRANSCRIPT, ctx -> {
                String answer = ctx.queryParam("answer");
                if ("slow".equals(answer)) {
                    Thread.sleep(HttpObservability.SLOW.toMillis() + 50);
                }
                ctx.status("refused".equals(answer) ? 409 : 200).result("{}");
            });
            config.routes.post(RunnerApi.END, ctx -> ctx.status(204));
        }).start();
    }

    @AfterEach
    void stop() {
        app.stop();
        logger.detachAppender(logs);
        logger.setLevel(level);
    }

    private int post(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header("Authorization", "Bearer " + RUNNER_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"entries\":[]}")).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** The after-handler runs before the response is complete on the client's side only in theory; wait for it. */
    private List<ILoggingEvent> lines(int expected) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (snapshot().size() < expected && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        return snapshot();
    }

    /** Jetty's threads append while this reads: copied under the lock AppenderBase appends under. */
    private List<ILoggingEvent> snapshot() {
        synchronized (logs) {
            return new java.util.ArrayList<>(logs.list);
        }
    }

    @Test
    void a_healthy_transcript_write_logs_nothing_at_info_but_other_routes_still_do() throws Exception {
        logger.setLevel(Level.INFO);
        assertEquals(200, post(RunnerApi.TRANSCRIPT + "?answer=ok"));
        assertEquals(204, post(RunnerApi.END));
        List<ILoggingEvent> lines = lines(1);
        assertEquals(1, lines.size(), "only the end's line: " + lines);
        assertEquals("POST " + RunnerApi.END + " -> 204", lines.get(0).getFormattedMessage());
        assertEquals(Level.INFO, lines.get(0).getLevel());
    }

    @Test
    void a_failed_or_slow_transcript_write_is_logged_at_info_with_its_duration() throws Exception {
        logger.setLevel(Level.INFO);
        assertEquals(409, post(RunnerApi.TRANSCRIPT + "?answer=refused"));
        assertEquals(200, post(RunnerApi.TRANSCRIPT + "?answer=slow"));
        List<ILoggingEvent> lines = lines(2);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).getFormattedMessage().matches("POST /internal/runner/transcript -> 409 in \\d+ ms"),
                lines.get(0).getFormattedMessage());
        assertTrue(lines.get(1).getFormattedMessage().matches("POST /internal/runner/transcript -> 200 in \\d+ ms"),
                lines.get(1).getFormattedMessage());
        long ms = Long.parseLong(lines.get(1).getFormattedMessage().replaceAll(".* in (\\d+) ms", "$1"));
        assertTrue(ms >= HttpObservability.SLOW.toMillis(), "the slow request's duration: " + ms);
        lines.forEach(line -> assertEquals(Level.INFO, line.getLevel()));
    }

    @Test
    void at_debug_every_transcript_write_is_logged_and_no_line_carries_the_token_or_the_raw_path() throws Exception {
        logger.setLevel(Level.DEBUG);
        assertEquals(200, post(RunnerApi.TRANSCRIPT + "?answer=ok"));
        assertEquals(409, post(RunnerApi.TRANSCRIPT + "?answer=refused"));
        List<ILoggingEvent> lines = lines(2);
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(Level.DEBUG, lines.get(0).getLevel());
        assertEquals(Level.INFO, lines.get(1).getLevel());
        for (ILoggingEvent line : lines) {
            String everything = line.getFormattedMessage() + " " + line.getMDCPropertyMap();
            assertFalse(everything.contains(RUNNER_TOKEN), everything);
            assertFalse(everything.contains("answer="), "the raw path or query: " + everything);
            assertTrue(line.getMDCPropertyMap().containsKey("request_id"), "the request id is in the line's MDC");
        }
    }

    @Test
    void only_errors_and_slow_requests_are_loud() {
        assertFalse(HttpObservability.loudly(200, Duration.ofMillis(3)));
        assertFalse(HttpObservability.loudly(399, HttpObservability.SLOW.minusMillis(1)));
        assertTrue(HttpObservability.loudly(400, Duration.ZERO));
        assertTrue(HttpObservability.loudly(503, Duration.ZERO));
        assertTrue(HttpObservability.loudly(200, HttpObservability.SLOW));
    }
}
