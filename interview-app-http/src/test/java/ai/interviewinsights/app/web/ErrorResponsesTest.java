package ai.interviewinsights.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.eclipse.jetty.io.EofException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The last resort of every route: a failure of ours is an ERROR with its stack trace in the log and a 500 problem that
 * says nothing of the internals; a connection the other side closed before the reply (Jetty's end of stream, seen
 * when a browser leaves mid-upgrade) is one INFO line, not an error. A real Javalin server and HTTP client.
 */
class ErrorResponsesTest {

    private final Logger logger = (Logger) org.slf4j.LoggerFactory.getLogger(Failures.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Javalin app;

    @BeforeEach
    void start() {
        logs.start();
        logger.addAppender(logs);
        ErrorResponses errors = new ErrorResponses(Json.mapper());
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = 0;
            errors.install(config);
            config.routes.get("/ours", ctx -> {
                throw new IllegalStateException("a bug of ours, with a detail nobody outside should read");
            });
            config.routes.get("/gone", ctx -> {
                throw new IOException(new EofException("reset by peer"));
            });
        }).start();
    }

    @AfterEach
    void stop() {
        app.stop();
        logger.detachAppender(logs);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<ILoggingEvent> events() {
        synchronized (logs) {
            return List.copyOf(logs.list);
        }
    }

    @Test
    void a_failure_of_ours_is_an_error_in_the_log_and_a_500_that_tells_nothing() throws Exception {
        HttpResponse<String> response = get("/ours");

        assertEquals(500, response.statusCode());
        JsonNode problem = Json.mapper().readTree(response.body());
        assertEquals("internal", problem.path("code").asText());
        assertFalse(response.body().contains("nobody outside"), response.body());
        ILoggingEvent logged = events().get(0);
        assertEquals(Level.ERROR, logged.getLevel());
        assertTrue(logged.getThrowableProxy() != null, "the stack trace is in the log");
    }

    @Test
    void a_connection_closed_by_the_other_side_is_one_info_line_not_an_error() throws Exception {
        get("/gone");

        List<ILoggingEvent> logged = events();
        assertEquals(1, logged.size(), logged.toString());
        assertEquals(Level.INFO, logged.get(0).getLevel());
        assertTrue(logged.get(0).getFormattedMessage().contains("the connection closed before the reply"),
                logged.get(0).getFormattedMessage());
        assertEquals(null, logged.get(0).getThrowableProxy(), "no stack trace");
    }

    @Test
    void only_the_end_of_stream_counts_as_gone_however_deep() {
        assertTrue(Failures.peerWentAway(new EofException()));
        assertTrue(Failures.peerWentAway(new IOException(new RuntimeException(new EofException()))));
        assertFalse(Failures.peerWentAway(new IOException("disk full")));
        assertFalse(Failures.peerWentAway(new IllegalStateException()));
    }
}
