package ai.interviewinsights.app.runner;

import ai.interviewinsights.app.runner.controlplane.HttpControlPlane;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.web.ErrorResponses;
import ai.interviewinsights.app.web.Json;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Secret;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code retryable} travels end to end: a domain error's flag goes into the control plane's problem document, and the
 * runner's control-plane client rebuilds the same flag from it (a real Javalin server, a real HTTP client).
 */
class RetryableProblemTest {

    private Javalin controlPlane;

    @BeforeEach
    void start() {
        ErrorResponses errors = new ErrorResponses(Json.mapper());
        controlPlane = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = 0;
            errors.install(config);
            config.routes.post("/internal/runner/fail", ctx -> {
                throw new DomainException(ErrorKind.CONFLICT, "session.busy", "try again in a moment", true, null);
            });
            config.routes.post("/internal/runner/call", ctx -> {
                throw new DomainException(ErrorKind.GONE, "session.not_live", "the interview has ended");
            });
        }).start();
    }

    @AfterEach
    void stop() {
        controlPlane.stop();
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + controlPlane.port());
    }

    @Test
    void a_problem_document_says_whether_the_request_may_succeed_later() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                base().resolve("/internal/runner/fail")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

        JsonNode problem = Json.mapper().readTree(response.body());
        assertEquals(409, response.statusCode());
        assertEquals("session.busy", problem.get("code").asText());
        assertTrue(problem.get("retryable").asBoolean(), response.body());
    }

    @Test
    void the_runner_rebuilds_the_control_planes_error_with_its_retryable_flag() {
        HttpControlPlane client = new HttpControlPlane(base(), Secret.of("runner-token"), Duration.ofSeconds(2));

        DomainException retryable = assertThrows(DomainException.class, () -> client.failed("boom"));
        DomainException final_ = assertThrows(DomainException.class,
                () -> client.callConnected(new ai.interviewinsights.domain.model.realtime.RealtimeCallId("rtc_1")));

        assertEquals("session.busy", retryable.code());
        assertEquals(ErrorKind.CONFLICT, retryable.kind());
        assertTrue(retryable.retryable(), "the flag survived the trip");
        assertEquals("session.not_live", final_.code());
        assertFalse(final_.retryable());
    }
}
