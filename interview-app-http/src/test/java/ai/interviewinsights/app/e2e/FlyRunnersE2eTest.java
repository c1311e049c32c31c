package ai.interviewinsights.app.e2e;

import static ai.interviewinsights.app.e2e.FakeOpenAi.added;
import static ai.interviewinsights.app.e2e.FakeOpenAi.aiDone;
import static ai.interviewinsights.app.e2e.FakeOpenAi.userCompleted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.testing.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin flow with Fly Machines as the provisioner: every Fly call goes over the Machines API wire protocol to a
 * fake Fly that really starts the runner from the machine config it receives, so the interview runs through the
 * machine exactly as in production, and the machine is destroyed at the end.
 */
class FlyRunnersE2eTest {

    /** The app with Fly as its provisioner, on {@code port}, over the fake Fly. */
    private static E2eApp onFly(FakeFly fly, int port) throws Exception {
        E2eApp e2e = new E2eApp(Map.of("PORT", Integer.toString(port),
                "PUBLIC_URL", "http://127.0.0.1:" + port, "FLY_API_TOKEN", FakeFly.TOKEN,
                "FLY_ORG_SLUG", "e2e-org", "FLY_RUNNER_IMAGE", "registry.fly.io/interview-runner:e2e",
                "FLY_API_URL", fly.baseUrl(), "FLY_REGIONS", "iad",
                "FLY_ENDPOINT_TEMPLATE", "ws://127.0.0.1:{machine}/ws"));
        fly.secrets(Map.of("OPENAI_API_KEY", E2eApp.OPENAI_KEY, "OPENAI_BASE_URL", e2e.openai.baseUrl(),
                "LOG_FORMAT", "text"));
        return e2e;
    }

    /** A session started by the admin (its runner a machine of the fake Fly). */
    private static E2eApp.Reply startSession(E2eApp e2e) throws Exception {
        String position = e2e.post("/api/positions", e2e.adminToken, Map.of("title", "SRE", "competencies",
                List.of(Map.of("name", "Operations")))).body().path("id").asText();
        String candidate = e2e.post("/api/candidates", e2e.adminToken, Map.of("name", "Linus")).body()
                .path("id").asText();
        E2eApp.Reply started = e2e.post("/api/sessions", e2e.adminToken, Map.of("candidate_id", candidate,
                "position_id", position));
        assertEquals(201, started.status(), started.raw());
        return started;
    }

    /** The machine a session's runner is (the fake Fly's machine id is its port). */
    private static String machineIdOf(E2eApp.Reply started) {
        return started.body().path("websocket_url").asText().replaceAll("^ws://127.0.0.1:(\\d+)/.*", "$1");
    }

    /** The browser's offer, and its answer awaited. */
    private static void offer(BrowserClient browser) throws Exception {
        browser.send(Map.of("type", "sdp_offer", "sdp", Fixtures.resource("sdp/safari-offer.sdp")));
        browser.awaitType("sdp_answer");
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * A runner destroyed mid-interview (the admin cancels) is stopped as a local one is: SIGTERM with a grace, so it
     * stores what it holds and tells its browser before it goes; before, Fly was asked to force it down at once and
     * the browser's socket just dropped.
     */
    @Test
    void a_runner_destroyed_mid_interview_is_stopped_first_and_says_its_goodbye() throws Exception {
        int port = freePort();
        try (FakeFly fly = new FakeFly(); E2eApp e2e = onFly(fly, port)) {
            E2eApp.Reply started = startSession(e2e);
            String session = started.body().path("session_id").asText();
            String machineId = machineIdOf(started);
            e2e.openai.scriptNextCall(FakeOpenAi.list(added("item_a1", null, "assistant"),
                    aiDone("item_a1", "What was your worst outage?")));
            try (BrowserClient browser = new BrowserClient(started.body().path("websocket_url").asText())) {
                offer(browser);
                browser.awaitDurable(List.of("item_a1"), Duration.ofSeconds(30));
                E2eApp.Reply cancelled = e2e.post("/api/sessions/" + session + "/cancel", e2e.adminToken, Map.of());
                assertTrue(cancelled.status() / 100 == 2, cancelled.raw());
                JsonNode goodbye = browser.await(m -> "status".equals(m.path("type").asText())
                        && ("ended".equals(m.path("status").asText())
                        || "interrupted".equals(m.path("status").asText())), Duration.ofSeconds(30));
                assertTrue(goodbye.has("status"), goodbye.toString());
            }
            assertEquals(List.of(machineId + " SIGTERM 5s"), fly.stops);
            Eventually.until("the machine destroyed", () -> fly.running(machineId), running -> !running);
            // In that order: the stop, the wait until it stopped, and only then the forced destroy.
            String machinePath = "/v1/apps/interviews-" + e2e.tenant + "/machines/" + machineId;
            int stop = fly.calls.indexOf("POST " + machinePath + "/stop");
            int waited = fly.calls.lastIndexOf("GET " + machinePath + "/wait");
            int deleted = fly.calls.indexOf("DELETE " + machinePath);
            assertTrue(stop >= 0 && stop < waited && waited < deleted, fly.calls.toString());
        }
    }

    @Test
    void an_interview_runs_in_its_own_fly_machine_which_is_destroyed_at_the_end() throws Exception {
        int port = freePort();
        try (FakeFly fly = new FakeFly(); E2eApp e2e = onFly(fly, port)) {
            E2eApp.Reply started = startSession(e2e);
            String session = started.body().path("session_id").asText();

            JsonNode machine = fly.createdConfigs.get(0);
            assertEquals("interview-hybrid-" + e2e.tenant + "-" + session.substring(0, 8),
                    machine.path("name").asText());
            JsonNode env = machine.path("config").path("env");
            assertEquals(session, env.path("SESSION_ID").asText());
            assertEquals("runner", env.path("INTERVIEW_MODE").asText());
            assertEquals("http://127.0.0.1:" + port, env.path("CONTROL_PLANE_URL").asText());
            assertFalse(env.has("DATABASE_URL") || env.has("OPENAI_API_KEY") || env.has("SESSION_TOKEN_SECRET"),
                    "a machine gets no database credentials and no master secret: " + env);
            assertEquals(session, machine.path("config").path("metadata").path("session_id").asText());
            assertTrue(fly.calls.contains("POST /v1/apps"), "the tenant app was created: " + fly.calls);
            String machineId = machineIdOf(started);
            assertTrue(fly.running(machineId));

            e2e.openai.scriptNextCall(FakeOpenAi.list(added("item_a1", null, "assistant"),
                    aiDone("item_a1", "What was your worst outage?"), added("item_u1", "item_a1", "user"),
                    userCompleted("item_u1", "A certificate expired on a Friday.")));
            try (BrowserClient browser = new BrowserClient(started.body().path("websocket_url").asText())) {
                offer(browser);
                browser.awaitDurable(List.of("item_a1", "item_u1"), Duration.ofSeconds(30));
                browser.send(Map.of("type", "end_session"));
                browser.await(m -> "ended".equals(m.path("status").asText()), Duration.ofSeconds(30));
            }
            JsonNode report = Eventually.until("completed and its machine destroyed", () -> e2e.get("/api/sessions/"
                    + session + "/report", e2e.adminToken).body(), r -> "completed".equals(r.path("session")
                    .path("status").asText()) && !fly.running(machineId)
                    && fly.calls.stream().anyMatch(c -> c.startsWith("DELETE ")));
            List<String> lines = new ArrayList<>();
            report.path("transcript").forEach(e -> lines.add(e.path("speaker").asText() + ": "
                    + e.path("text").asText()));
            assertEquals(List.of("ai: What was your worst outage?", "candidate: A certificate expired on a Friday."),
                    lines);
            assertEquals("completed", report.path("session").path("status").asText());
            assertTrue(fly.calls.contains("DELETE /v1/apps/interviews-" + e2e.tenant + "/machines/" + machineId),
                    "the machine was destroyed: " + fly.calls);
            assertFalse(fly.running(machineId));
            // No pool: the machine created for the session is a cold start, counted and timed as the pool's miss.
            assertEquals(1.0, e2e.runnerClaims("hybrid", "miss"), e2e.metrics());
            assertEquals(0.0, e2e.runnerClaims("hybrid", "hit"));
        }
    }
}
