package ai.interviewinsights.adapters.flyio;

import static ai.interviewinsights.adapters.flyio.FlyTestSupport.CLIENT_KEY;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.NAME;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.ORG;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.RUNNER_TOKEN;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.TENANT;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.TOKEN;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.appJson;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.machineJson;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.flyio.FlyTestSupport.ScriptedFly;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.testing.MutableClock;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.slf4j.LoggerFactory;

/**
 * Runs every failure path with a recognisable fake token, with Fly even echoing secrets back in its error bodies,
 * and looks for the API token and the session's tokens in everything captured: log lines at every level, logged
 * throwables, exception messages and causes, and the configuration's {@code toString()}.
 */
class FlyTokenSecrecyTest {

    /** What a create could echo: it carried the session's tokens. */
    private static final String ECHO = "{\"error\": \"bad request from FlyV1 " + TOKEN + " with env RUNNER_TOKEN="
            + RUNNER_TOKEN + " CLIENT_TOKEN_KEY=" + CLIENT_KEY + "\"}";
    /** What any other call could echo: only the API token travels with it. */
    private static final String ECHO_TOKEN = "{\"error\": \"token FlyV1 " + TOKEN + " is not valid here\"}";
    /** A machine as Fly lists it, with the session's tokens in its config. */
    private static final String MACHINE_WITH_ENV = machineJson("3d8d9e1f0a1b2c", NAME, "created")
            .replace("\"config\": {", "\"config\": {\"env\": {\"RUNNER_TOKEN\": \"" + RUNNER_TOKEN
                    + "\", \"CLIENT_TOKEN_KEY\": \"" + CLIENT_KEY + "\"}, ");

    @StartStop
    private final MockWebServer server = new MockWebServer();
    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final ScriptedFly fly = new ScriptedFly(clock);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger adapter = (Logger) LoggerFactory.getLogger("ai.interviewinsights.adapters.flyio");
    private final List<String> captured = new ArrayList<>();
    private Level adapterLevel;
    private FlyConfig config;
    private FlyMachinesProvisioner provisioner;

    @BeforeEach
    void setUp() {
        server.setDispatcher(fly);
        config = FlyTestSupport.config(server).build();
        provisioner = FlyTestSupport.provisioner(config, clock);
        adapterLevel = adapter.getLevel();
        adapter.setLevel(Level.TRACE);
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        root.detachAppender(logs);
        adapter.setLevel(adapterLevel);
    }

    private void failing(Executable call) {
        try {
            call.execute();
        } catch (DomainException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                captured.add(t.toString());
                captured.add(String.valueOf(t.getMessage()));
            }
            return;
        } catch (Throwable t) {
            throw new AssertionError("expected a DomainException", t);
        }
        throw new AssertionError("expected the call to fail");
    }

    @Test
    void the_tokens_appear_in_no_log_line_and_no_error() throws Exception {
        // Fly echoes everything back when refusing a create.
        fly.answer(200, appJson(ORG)).answer(200, "[]").answer(422, ECHO).answer(200, "[]").answer(200, "[]");
        failing(() -> provisioner.provision(spec()));
        // Refused credentials, with the token echoed.
        fly.answer(401, ECHO_TOKEN);
        failing(() -> provisioner.provision(spec()));
        // The app name belongs elsewhere.
        fly.answer(403, ECHO_TOKEN);
        failing(() -> provisioner.provision(spec()));
        // Rate limited until retries run out (the destroy's machine lookup, before its stop, refused too); then
        // Fly's own failures.
        fly.answer(401, ECHO_TOKEN);
        fly.answer(429, ECHO_TOKEN).answer(429, ECHO_TOKEN).answer(429, ECHO_TOKEN);
        failing(() -> provisioner.destroy(TENANT, new RunnerId("3d8d9e1f0a1b2c")));
        fly.answer(500, ECHO_TOKEN).answer(502, ECHO_TOKEN).answer(503, ECHO_TOKEN);
        failing(() -> provisioner.listLive());
        // Connections dropped on every attempt (the lookup's one, and the destroy's three).
        for (int i = 0; i < 4; i++) {
            fly.enqueue(FlyTestSupport.response(200, "{}").onResponseStart(new SocketEffect.CloseSocket()).build());
        }
        failing(() -> provisioner.destroy(TENANT, new RunnerId("3d8d9e1f0a1b2c")));
        // No capacity anywhere, and the refusals echo what was sent.
        fly.answer(200, appJson(ORG)).answer(200, "[]")
                .answer(412, ECHO.replace("bad request", "insufficient resources"))
                .answer(412, "{\"error\": \"insufficient resources\", \"status\": \"insufficient_capacity\"}");
        failing(() -> provisioner.provision(spec()));
        // The session's machine (tokens in its listed config) never starts, and destroying it fails too.
        fly.answer(200, appJson(ORG)).answer(200, "[" + MACHINE_WITH_ENV + "]")
                .answer(408, ECHO_TOKEN).answer(408, ECHO_TOKEN)
                .answer(200, MACHINE_WITH_ENV)
                .answer(403, ECHO_TOKEN);
        failing(() -> provisioner.provision(spec()));

        List<ILoggingEvent> events;
        synchronized (logs) { // on the root logger: any thread may append while this reads (AppenderBase's lock)
            events = new ArrayList<>(logs.list);
        }
        for (ILoggingEvent event : events) {
            captured.add(event.getFormattedMessage());
            captured.add(event.getMessage());
            if (event.getArgumentArray() != null) {
                for (Object argument : event.getArgumentArray()) {
                    captured.add(String.valueOf(argument));
                }
            }
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                captured.add(t.getClassName() + ": " + t.getMessage());
            }
        }
        captured.add(config.toString());
        captured.add(provisioner.toString());

        assertTrue(events.size() >= 10, "the failure paths logged: " + events.size());
        assertTrue(captured.stream().anyMatch(text -> text.contains("fly-request-id 01REQ")),
                "failed calls log Fly's request id");
        assertTrue(captured.stream().anyMatch(text -> text.contains("[redacted]")),
                "Fly's echoed error text did reach the messages, with the secrets cut out");
        assertEquals("FlyV1 " + TOKEN, server.takeRequest().getHeaders().get("Authorization"),
                "the token was in play");
        for (String text : captured) {
            assertFalse(text.contains(TOKEN), () -> "API token leaked: " + text);
            assertFalse(text.contains("TESTTOKEN"), () -> "part of the API token leaked: " + text);
            assertFalse(text.contains(RUNNER_TOKEN), () -> "runner token leaked: " + text);
            assertFalse(text.contains(CLIENT_KEY), () -> "client token key leaked: " + text);
        }
    }

    @Test
    void the_configuration_and_the_request_body_say_which_secrets_exist_but_not_their_values() {
        assertFalse(config.toString().contains(TOKEN), config.toString());
        String body = MachineBlueprint.of(config, spec(), "ams").toString();
        assertTrue(body.contains("RUNNER_TOKEN"), body);
        assertFalse(body.contains(RUNNER_TOKEN), body);
        assertFalse(body.contains(CLIENT_KEY), body);
    }
}
