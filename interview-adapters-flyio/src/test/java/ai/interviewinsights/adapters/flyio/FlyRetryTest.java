package ai.interviewinsights.adapters.flyio;

import static ai.interviewinsights.adapters.flyio.FlyTestSupport.APP;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.NAME;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.ORG;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.TENANT;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.appJson;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.assertRequest;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.expectedCreateBody;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.machineJson;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.flyio.FlyTestSupport.ScriptedFly;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.testing.MutableClock;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Rate limits, Fly's own failures and the authentication scheme. */
class FlyRetryTest {

    private static final String MACHINE = "/v1/apps/" + APP + "/machines/3d8d9e1f0a1b2c?force=true";

    @StartStop
    private final MockWebServer server = new MockWebServer();
    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final ScriptedFly fly = new ScriptedFly(clock);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger httpLogger = (Logger) LoggerFactory.getLogger(FlyHttp.class);
    private FlyMachinesProvisioner provisioner;

    @BeforeEach
    void setUp() {
        server.setDispatcher(fly);
        provisioner = FlyTestSupport.provisioner(FlyTestSupport.config(server).build(), clock);
        logs.start();
        httpLogger.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        httpLogger.detachAppender(logs);
    }

    /**
     * These tests use a destroy as the request that meets Fly's answers; a destroy first reads the machine (to stop a
     * running one first), which here finds none, so the scripted answers are the DELETE's.
     */
    private void noMachineToStop() {
        fly.answer(404, "{\"error\": \"machine not found\"}");
    }

    private void skipMachineLookup() throws InterruptedException {
        assertRequest(server.takeRequest(), "GET", "/v1/apps/" + APP + "/machines/3d8d9e1f0a1b2c", null);
    }

    private boolean logged(String text) {
        return logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains(text));
    }

    @Test
    void a_429_is_retried_after_the_delay_fly_asks_for_then_succeeds() throws Exception {
        noMachineToStop();
        fly.enqueue(FlyTestSupport.response(429, "{\"error\": \"rate limit exceeded\"}")
                .addHeader("Retry-After", "1").build());
        fly.answer(200, "{\"ok\": true}");

        provisioner.destroy(TENANT, new RunnerId("3d8d9e1f0a1b2c"));

        skipMachineLookup();
        assertRequest(server.takeRequest(), "DELETE", MACHINE, null);
        assertRequest(server.takeRequest(), "DELETE", MACHINE, null);
        assertEquals(3, server.getRequestCount());
        assertTrue(logged("DELETE /v1/apps/" + APP + "/machines/3d8d9e1f0a1b2c answered 429"
                + " (fly-request-id 01REQ429-ams); retry 1 of 2 in 1000 ms"), () -> logs.list.toString());
    }

    @Test
    void a_429_on_create_is_retried_with_backoff_and_the_same_body() throws Exception {
        fly.answer(200, appJson(ORG))
                .answer(200, "[]")
                .answer(429, "{\"error\": \"rate limit exceeded\"}")
                .answer(200, machineJson("3d8d9e1f0a1b2c", NAME, "started"));

        assertEquals("3d8d9e1f0a1b2c", provisioner.provision(spec()).runnerId().value());

        server.takeRequest();
        server.takeRequest();
        assertRequest(server.takeRequest(), "POST", "/v1/apps/" + APP + "/machines", expectedCreateBody("ams"));
        assertRequest(server.takeRequest(), "POST", "/v1/apps/" + APP + "/machines", expectedCreateBody("ams"));
        assertEquals(4, server.getRequestCount());
    }

    @Test
    void server_errors_are_retried_then_reported_as_retryable_unavailability() {
        noMachineToStop();
        fly.answer(502, "<html>bad gateway</html>").answer(503, "{}").answer(500, "{\"error\": \"internal\"}");

        DomainException e = assertThrows(DomainException.class,
                () -> provisioner.destroy(TENANT, new RunnerId("3d8d9e1f0a1b2c")));

        assertEquals("fly.unavailable", e.code());
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("fly-request-id 01REQ500-ams"), e.getMessage());
        assertEquals(1 + 3, server.getRequestCount(), "the lookup, then maxAttempts = 3");
    }

    @Test
    void a_retry_after_longer_than_we_may_wait_gives_up_at_once() {
        noMachineToStop();
        fly.enqueue(FlyTestSupport.response(429, "{\"error\": \"rate limit exceeded\"}")
                .addHeader("Retry-After", "120").build());

        DomainException e = assertThrows(DomainException.class,
                () -> provisioner.destroy(TENANT, new RunnerId("3d8d9e1f0a1b2c")));

        assertEquals("fly.rate_limited", e.code());
        assertTrue(e.retryable());
        assertEquals(1 + 1, server.getRequestCount());
    }

    @Test
    void a_refusal_is_not_retried() {
        noMachineToStop();
        fly.answer(401, "{\"error\": \"Authenticate: token validation error\"}");

        DomainException e = assertThrows(DomainException.class,
                () -> provisioner.destroy(TENANT, new RunnerId("3d8d9e1f0a1b2c")));

        assertEquals("fly.unauthorized", e.code());
        assertEquals(ErrorKind.UPSTREAM_FAILED, e.kind());
        assertEquals(1 + 1, server.getRequestCount());
    }

    @Test
    void tokens_that_are_not_macaroons_are_sent_as_bearer_tokens() throws Exception {
        provisioner = FlyTestSupport.provisioner(FlyConfig.builder(Secret.of("fo1_personal-token"), ORG,
                        FlyTestSupport.IMAGE, FlyTestSupport.CONTROL_PLANE)
                .baseUrl(server.url("/").uri()).regions("ams").build(), clock);
        noMachineToStop();
        fly.answer(200, "{\"ok\": true}");

        provisioner.destroy(TENANT, new RunnerId("3d8d9e1f0a1b2c"));

        assertEquals("Bearer fo1_personal-token", server.takeRequest().getHeaders().get("Authorization"));
    }

    @Test
    void the_scheme_follows_the_token_prefix() {
        assertEquals("FlyV1 fm1r_abc", FlyHttp.authorization(Secret.of("fm1r_abc")));
        assertEquals("FlyV1 fm1a_abc", FlyHttp.authorization(Secret.of("fm1a_abc")));
        assertEquals("FlyV1 fm2_abc,fm2_def", FlyHttp.authorization(Secret.of("fm2_abc,fm2_def")));
        assertEquals("FlyV1 fm2_abc", FlyHttp.authorization(Secret.of("FlyV1 fm2_abc")));
        assertEquals("Bearer fo1_abc", FlyHttp.authorization(Secret.of("fo1_abc")));
        assertEquals("Bearer abc", FlyHttp.authorization(Secret.of(" abc\n")));
    }

    @Test
    void a_retry_after_date_is_measured_against_the_reply_date_not_our_clock() throws Exception {
        // The rule itself is held to the shared vectors (RetryAfterRuleTest); this checks what FlyHttp feeds it.
        // Our clock says 10:00:00, Fly's Date says 09:59:59: Fly means one second, our clock would say none.
        noMachineToStop();
        fly.enqueue(FlyTestSupport.response(429, "{\"error\": \"rate limit exceeded\"}")
                .addHeader("Date", "Sun, 22 Nov 2026 09:59:59 GMT")
                .addHeader("Retry-After", "Sun, 22 Nov 2026 10:00:00 GMT").build());
        fly.answer(200, "{\"ok\": true}");

        provisioner.destroy(TENANT, new RunnerId("3d8d9e1f0a1b2c"));

        assertEquals(1 + 2, server.getRequestCount());
        assertTrue(logged("retry 1 of 2 in 1000 ms"), () -> logs.list.toString());
    }
}
