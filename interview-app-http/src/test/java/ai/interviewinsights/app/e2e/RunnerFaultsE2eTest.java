package ai.interviewinsights.app.e2e;

import static ai.interviewinsights.app.e2e.FakeOpenAi.added;
import static ai.interviewinsights.app.e2e.FakeOpenAi.aiDone;
import static ai.interviewinsights.app.e2e.FakeOpenAi.userCompleted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.testing.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What happens when a runner dies, and when the browser reconnects. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunnerFaultsE2eTest {

    private E2eApp e2e;
    private String positionId;
    private String candidateId;

    @BeforeAll
    void start() throws Exception {
        e2e = new E2eApp();
        positionId = e2e.post("/api/positions", e2e.adminToken, Map.of("title", "SRE", "competencies",
                List.of(Map.of("name", "Operations")))).body().path("id").asText();
        candidateId = e2e.post("/api/candidates", e2e.adminToken, Map.of("name", "Grace Hopper")).body()
                .path("id").asText();
    }

    @AfterAll
    void stop() throws Exception {
        e2e.close();
    }

    private JsonNode startSession() throws Exception {
        E2eApp.Reply started = e2e.post("/api/sessions", e2e.adminToken, Map.of("candidate_id", candidateId,
                "position_id", positionId));
        assertEquals(201, started.status(), started.raw());
        return started.body();
    }

    private String status(String sessionId) throws Exception {
        return e2e.get("/api/sessions/" + sessionId, e2e.adminToken).body().path("status").asText();
    }

    @Test
    void killing_the_runner_mid_interview_fails_the_session_keeps_every_acknowledged_entry_and_leaves_no_process()
            throws Exception {
        JsonNode started = startSession();
        String sessionId = started.path("session_id").asText();
        long pid = Long.parseLong(e2e.get("/api/sessions/" + sessionId, e2e.adminToken).body().path("runner")
                .path("id").asText());
        assertTrue(e2e.app.localRunners().orElseThrow().pids().contains(pid), "the session's runner is a process");
        assertTrue(pid != ProcessHandle.current().pid(), "the runner is another process");

        e2e.openai.scriptNextCall(FakeOpenAi.list(added("item_a1", null, "assistant"),
                aiDone("item_a1", "Walk me through an outage you handled."),
                added("item_u1", "item_a1", "user"), userCompleted("item_u1", "The database ran out of disk.")));
        try (BrowserClient browser = new BrowserClient(started.path("websocket_url").asText())) {
            browser.send(Map.of("type", "sdp_offer", "sdp", Fixtures.resource("sdp/firefox-offer.sdp")));
            browser.awaitType("sdp_answer");
            browser.send(Map.of("type", "transcript_update", "entries", List.of(Map.of("key", "note-1",
                    "speaker", "candidate", "text", "(typed) I can share the postmortem.",
                    "timestamp", "2026-11-22T10:01:00Z"))));
            browser.awaitDurable(List.of("item_a1", "item_u1", "note-1"), Duration.ofSeconds(30));

            ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL, mid-interview
            Eventually.until("failed", () -> status(sessionId), "failed"::equals);
        }
        JsonNode report = e2e.get("/api/sessions/" + sessionId + "/report", e2e.adminToken).body();
        assertEquals("failed", report.path("session").path("status").asText(), report.toString());
        assertTrue(report.path("session").path("failure_reason").asText().contains("exit code"),
                report.path("session").toString());
        List<String> keys = new ArrayList<>();
        report.path("transcript").forEach(e -> keys.add(e.path("key").asText()));
        assertTrue(keys.containsAll(List.of("item_a1", "item_u1", "note-1")), "acknowledged entries kept: " + keys);
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the process is gone");
        assertFalse(e2e.app.localRunners().orElseThrow().pids().contains(pid), "no runner process is left");
        // The failure is stored first and the call hung up after it (SessionLifecycleService.fail): wait for it.
        Eventually.until("the orphaned call was hung up", Eventually.PATIENCE, () -> e2e.openai.hungUp.size() >= 1,
                () -> "hung up: " + e2e.openai.hungUp);
    }

    @Test
    void a_reconnect_replaces_the_old_connection_and_the_interview_continues() throws Exception {
        JsonNode started = startSession();
        String url = started.path("websocket_url").asText();
        e2e.openai.scriptNextCall(FakeOpenAi.list(added("item_a1", null, "assistant"), aiDone("item_a1", "Hi.")));
        try (BrowserClient first = new BrowserClient(url)) {
            first.send(Map.of("type", "sdp_offer", "sdp", Fixtures.resource("sdp/chrome-offer.sdp")));
            first.awaitType("sdp_answer");
            // The sideband's first turn is stored before the reconnect; an entry without an item id is placed by
            // arrival, so the order below is only defined once this has happened.
            first.awaitDurable(List.of("item_a1"), Duration.ofSeconds(20));
            try (BrowserClient second = new BrowserClient(url)) {
                second.awaitType("status");
                first.await(m -> "replaced".equals(m.path("status").asText()), Duration.ofSeconds(10));
                assertEquals(4001, first.awaitClose(Duration.ofSeconds(10)));
                second.send(Map.of("type", "transcript_update", "entries", List.of(Map.of("key", "after-reconnect",
                        "speaker", "candidate", "text", "I am back.", "timestamp", "2026-11-22T10:02:00Z"))));
                second.awaitDurable(List.of("after-reconnect"), Duration.ofSeconds(20));
                second.send(Map.of("type", "end_session"));
                second.await(m -> "ended".equals(m.path("status").asText()), Duration.ofSeconds(20));
            }
        }
        assertEquals(List.of("ai: Hi.", "candidate: I am back."), transcript(started.path("session_id").asText()));
    }

    @Test
    void a_token_for_another_session_or_no_token_cannot_connect() throws Exception {
        JsonNode one = startSession();
        JsonNode two = startSession();
        String tokenOfTwo = two.path("websocket_url").asText().replaceAll(".*token=([^&]+).*", "$1");
        String forged = one.path("websocket_url").asText().replaceAll("token=[^&]+", "token=" + tokenOfTwo);
        try (BrowserClient hostile = new BrowserClient(forged)) {
            JsonNode error = hostile.awaitType("error");
            assertEquals("auth.wrong_session", error.path("code").asText());
            assertEquals(1008, hostile.awaitClose(Duration.ofSeconds(10)));
        }
        String bare = one.path("websocket_url").asText().replaceAll("token=[^&]+&", "");
        try (BrowserClient anonymous = new BrowserClient(bare)) {
            assertEquals("auth.missing", anonymous.awaitType("error").path("code").asText());
            assertEquals(1008, anonymous.awaitClose(Duration.ofSeconds(10)));
        }
    }

    /** Defect 6: ending before the call connects is told to the browser, which is closed orderly (1000). */
    @Test
    void end_session_before_the_call_connects_is_told_to_the_browser_and_closes_1000() throws Exception {
        JsonNode started = startSession();
        String sessionId = started.path("session_id").asText();
        long pid = Long.parseLong(e2e.get("/api/sessions/" + sessionId, e2e.adminToken).body().path("runner")
                .path("id").asText());
        try (BrowserClient browser = new BrowserClient(started.path("websocket_url").asText())) {
            browser.awaitType("status");
            browser.send(Map.of("type", "end_session"));
            browser.await(m -> "ended".equals(m.path("status").asText()), Eventually.PATIENCE);
            assertEquals(1000, browser.awaitClose(Eventually.PATIENCE));
        }
        Eventually.until("cancelled", () -> status(sessionId), "cancelled"::equals);
        Eventually.until("runner gone", Eventually.PATIENCE,
                () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    private List<String> transcript(String sessionId) throws Exception {
        JsonNode report = Eventually.until("completed", () -> e2e.get("/api/sessions/" + sessionId + "/report",
                e2e.adminToken).body(), r -> "completed".equals(r.path("session").path("status").asText()));
        List<String> lines = new ArrayList<>();
        report.path("transcript").forEach(e -> lines.add(e.path("speaker").asText() + ": " + e.path("text").asText()));
        return lines;
    }
}
