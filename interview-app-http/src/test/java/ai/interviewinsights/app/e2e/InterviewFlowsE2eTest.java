package ai.interviewinsights.app.e2e;

import static ai.interviewinsights.app.e2e.FakeOpenAi.added;
import static ai.interviewinsights.app.e2e.FakeOpenAi.aiDelta;
import static ai.interviewinsights.app.e2e.FakeOpenAi.aiDone;
import static ai.interviewinsights.app.e2e.FakeOpenAi.userCompleted;
import static ai.interviewinsights.app.e2e.FakeOpenAi.userDelta;
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

/**
 * The two flows of the product, end to end: the real app (embedded PostgreSQL, a real OS process per interview),
 * a fake OpenAI speaking the wire protocol, and a WebSocket client playing the browser. The sideband and the browser
 * each see part of the conversation, out of order, and the browser sends a batch twice: both flows must end with
 * the same transcript, stored exactly once and in conversation order, evaluated, and the runner gone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InterviewFlowsE2eTest {

    private static final List<String> CONVERSATION = List.of(
            "ai: Hello Ada, tell me about a system you built.",
            "candidate: I built a payment ledger that survives retries.",
            "ai: How did you make retries safe?",
            "candidate: Every write carries an idempotency key.",
            "ai: Thank you, that is all for today.");

    private E2eApp e2e;
    private String positionId;
    private String candidateId;

    @BeforeAll
    void start() throws Exception {
        e2e = new E2eApp();
        E2eApp.Reply position = e2e.post("/api/positions", e2e.adminToken, Map.of("title", "Backend Engineer",
                "description", "Payments", "competencies", List.of(
                        Map.of("name", "System design", "description", "Designs for failure", "weight", 3),
                        Map.of("name", "Communication", "weight", 2))));
        assertEquals(201, position.status(), position.raw());
        positionId = position.body().path("id").asText();
        E2eApp.Reply candidate = e2e.post("/api/candidates", e2e.adminToken,
                Map.of("name", "Ada Lovelace", "email", "ada@example.com"));
        candidateId = candidate.body().path("id").asText();
        e2e.openai.evaluationReply("{\"competencies\":{\"System design\":{\"score\":4,\"rationale\":\"Thought about "
                + "retries.\",\"evidence\":[{\"entry\":\"item_u1\",\"quote\":\"survives retries\"}]},"
                + "\"Communication\":{\"score\":3,\"rationale\":\"Clear.\",\"evidence\":[]}},"
                + "\"recommendation\":\"hire\",\"summary\":\"Solid on reliability.\"}");
    }

    @AfterAll
    void stop() throws Exception {
        e2e.close();
    }

    private static String text(int turn) {
        return CONVERSATION.get(turn).substring(CONVERSATION.get(turn).indexOf(": ") + 2);
    }

    /** What OpenAI's sideband sees: a2 and a3 only it sees; u1 completes after a2; u2 only as a delta. */
    private static List<String> sideband() {
        return FakeOpenAi.list(
                added("item_a1", null, "assistant"), aiDelta("item_a1", "Hello Ada, "), aiDone("item_a1", text(0)),
                added("item_u1", "item_a1", "user"),
                added("item_a2", "item_u1", "assistant"), aiDone("item_a2", text(2)),
                userCompleted("item_u1", text(1)), userCompleted("item_u1", text(1)),
                added("item_u2", "item_a2", "user"), userDelta("item_u2", "Every write carries"),
                added("item_a3", "item_u2", "assistant"), aiDone("item_a3", text(4)));
    }

    private static Map<String, Object> entry(String item, String previous, String speaker, String text) {
        Map<String, Object> entry = new java.util.HashMap<>();
        entry.put("item_id", item);
        entry.put("previous_item_id", previous);
        entry.put("speaker", speaker);
        entry.put("text", text);
        entry.put("timestamp", "2026-11-22T10:00:00Z");
        return entry;
    }

    /**
     * Plays the interview through the runner's WebSocket and returns the final report; the end names {@code videoId}
     * (the video the browser recorded into), when there is one.
     */
    private JsonNode playInterview(JsonNode started, String videoId) throws Exception {
        assertEquals("ready", started.path("status").asText());
        String sessionId = started.path("session_id").asText();
        e2e.openai.scriptNextCall(sideband());
        try (BrowserClient browser = new BrowserClient(started.path("websocket_url").asText())) {
            browser.awaitType("status");
            browser.send(Map.of("type", "sdp_offer", "sdp", Fixtures.resource("sdp/chrome-offer.sdp")));
            JsonNode answer = browser.awaitType("sdp_answer");
            assertTrue(answer.path("sdp").asText().startsWith("v=0\r\n"));
            assertTrue(answer.path("sdp").asText().contains("a=setup:active"));

            // The browser forwards what its data channel showed: a1 and u1, and it sends that batch twice.
            Map<String, Object> batch = Map.of("type", "transcript_update", "entries", List.of(
                    entry("item_a1", null, "ai", text(0)), entry("item_u1", "item_a1", "candidate", text(1))));
            browser.send(batch);
            browser.send(batch); // at once: not durable yet, so acknowledged as pending (never stored twice)
            // u2's final words only reached the browser.
            browser.send(Map.of("type", "transcript_update", "entries",
                    List.of(entry("item_u2", "item_a2", "candidate", text(3)))));
            browser.awaitDurable(List.of("item_a1", "item_u1", "item_a2", "item_u2", "item_a3"),
                    Duration.ofSeconds(30));
            browser.send(batch); // and again after it was acknowledged: a duplicate
            browser.await(m -> "transcript_ack".equals(m.path("type").asText())
                    && m.path("duplicates").size() == 2 && m.path("pending").isEmpty(), Eventually.PATIENCE);

            // A video id that could not be api.video's is refused where it comes in; the interview goes on.
            browser.send(Map.of("type", "end_session", "video_id", "../upload-tokens"));
            JsonNode refused = browser.await(m -> "error".equals(m.path("type").asText()), Duration.ofSeconds(10));
            assertEquals("invalid.video_id", refused.path("code").asText());
            // The browser ends with the api.video video it uploaded to (the one its upload token was for).
            Map<String, Object> end = new java.util.HashMap<>(Map.of("type", "end_session", "recording_url",
                    "https://vod.api.video/vod/vi123/mp4/source.mp4"));
            if (videoId != null) {
                end.put("video_id", videoId);
            }
            browser.send(end);
            JsonNode ended = browser.await(m -> "status".equals(m.path("type").asText())
                    && "ended".equals(m.path("status").asText()), Duration.ofSeconds(30));
            assertEquals("candidate_ended", ended.path("reason").asText());
            assertEquals(1000, browser.awaitClose(Duration.ofSeconds(10)));
        }
        return awaitReport(sessionId, "completed");
    }

    private JsonNode awaitReport(String sessionId, String status) throws Exception {
        return Eventually.until(status, () -> e2e.get("/api/sessions/" + sessionId + "/report", e2e.adminToken)
                .body(), report -> status.equals(report.path("session").path("status").asText())
                        && (!status.equals("completed") || report.has("evaluation")));
    }

    private static List<String> lines(JsonNode report) {
        List<String> lines = new ArrayList<>();
        report.path("transcript").forEach(e -> lines.add(e.path("speaker").asText() + ": " + e.path("text").asText()));
        return lines;
    }

    private void assertStoredOnceInOrder(JsonNode report) {
        assertEquals(CONVERSATION, lines(report));
        List<Long> positions = new ArrayList<>();
        report.path("transcript").forEach(e -> positions.add(e.path("position").asLong()));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), positions);
        report.path("transcript").forEach(e -> assertEquals("complete", e.path("status").asText()));
        // u2's final words reached only the browser: kept, but unverified (the evaluator may not cite them).
        assertEquals("client", report.path("transcript").get(3).path("source").asText());
        assertEquals("sideband", report.path("transcript").get(1).path("source").asText());
    }

    private void assertFinished(JsonNode report) throws Exception {
        JsonNode evaluation = report.path("evaluation");
        assertEquals("succeeded", evaluation.path("status").asText(), report.toString());
        assertEquals("hire", evaluation.path("recommendation").asText());
        assertEquals("https://vod.api.video/vod/vi123/mp4/source.mp4",
                report.path("session").path("recording").path("url").asText(), "the browser's reported URL");
        assertTrue(e2e.openai.hungUp.size() >= 1, "the call was hung up");
        Eventually.until("no runner process is left", Eventually.PATIENCE,
                () -> e2e.app.localRunners().orElseThrow().pids().isEmpty(),
                () -> "runners " + e2e.app.localRunners().orElseThrow().pids());
    }

    @Test
    void the_admin_flow_stores_the_whole_transcript_once_in_order_and_evaluates_it() throws Exception {
        E2eApp.Reply started = e2e.post("/api/sessions", e2e.adminToken, Map.of("candidate_id", candidateId,
                "position_id", positionId, "settings", Map.of("voice", "alloy", "language", "en-US",
                        "temperature", 0.7)));
        assertEquals(201, started.status(), started.raw());
        String videoToken = started.body().path("video_token").asText();
        assertTrue(e2e.apiVideo.uploadTokens.contains(videoToken), "a delegated api.video upload token");
        assertTrue(started.body().path("recording").path("enabled").asBoolean());
        String videoId = started.body().path("recording").path("video_id").asText();
        assertTrue(started.body().path("recording").path("grant_url").isMissingNode(), started.raw());
        // The grant came with the start: asking again is refused, and asking in a burst is limited per session.
        String candidateToken = E2eApp.candidateToken(started.body().path("websocket_url").asText());
        String grantUrl = "/api/sessions/" + started.body().path("session_id").asText() + "/recording-grant";
        List<Integer> asks = new ArrayList<>();
        for (int ask = 0; ask < 7; ask++) {
            asks.add(e2e.post(grantUrl, candidateToken, Map.of()).status());
        }
        assertEquals(List.of(409, 409, 409, 409, 409, 409, 429), asks);
        JsonNode report = playInterview(started.body(), videoId);
        assertStoredOnceInOrder(report);
        assertFinished(report);
        assertEquals(videoId, report.path("session").path("recording").path("video_id").asText());
        assertTrue(report.path("session").path("recording").path("reported_at").isTextual(),
                "the video id sent in end_session reached the session through the runner: " + report);
        assertEquals("uploading", report.path("recording").path("phase").asText());

        // api.video finishes encoding and calls the signed webhook (twice: it retries).
        e2e.apiVideo.markPlayable(videoId);
        String event = "{\"type\":\"video.encoding.quality.completed\",\"emittedAt\":\"2026-11-22T10:40:00.000Z\","
                + "\"videoId\":\"" + videoId + "\",\"encoding\":\"mp4\",\"quality\":\"720p\"}";
        for (int delivery = 0; delivery < 2; delivery++) {
            E2eApp.Reply hook = e2e.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    e2e.url("/api/webhooks/apivideo"))).header("Content-Type", "application/json")
                    .header("X-Api-Video-Signature", FakeApiVideo.sign(event))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(event)));
            assertEquals(200, hook.status(), hook.raw());
        }
        E2eApp.Reply forged = e2e.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                e2e.url("/api/webhooks/apivideo"))).header("X-Api-Video-Signature", FakeApiVideo.sign(event))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(event.replace("720p", "1080p"))));
        assertEquals(401, forged.status(), forged.raw());
        JsonNode after = e2e.get("/api/sessions/" + report.path("session").path("id").asText() + "/report",
                e2e.adminToken).body();
        assertEquals("playable", after.path("recording").path("phase").asText());
        assertEquals("https://vod.api.video/vod/" + videoId + "/mp4/source.mp4",
                after.path("session").path("recording").path("url").asText());
    }

    @Test
    void the_candidate_invite_flow_stores_the_same_transcript() throws Exception {
        E2eApp.Reply invite = e2e.post("/api/invites", e2e.adminToken, Map.of("candidate_id", candidateId,
                "position_id", positionId, "valid_for_hours", 48));
        assertEquals(201, invite.status(), invite.raw());
        String token = invite.body().path("token").asText();
        assertTrue(invite.body().path("url").asText().endsWith("/interview/" + token));
        // As the room does: the recording's grant after READY, so the start waits for no video provider (ADR 0028).
        int tokensBefore = e2e.apiVideo.uploadTokens.size();
        E2eApp.Reply redeemed = e2e.redeem(token, "after_ready");
        assertEquals(200, redeemed.status(), redeemed.raw());
        String sessionId = redeemed.body().path("session_id").asText();
        JsonNode recording = redeemed.body().path("recording");
        assertTrue(recording.path("enabled").asBoolean(), redeemed.raw());
        assertEquals("/api/sessions/" + sessionId + "/recording-grant", recording.path("grant_url").asText());
        assertTrue(recording.path("upload_token").isMissingNode() && redeemed.body().path("video_token").isNull(),
                "no grant in the reply: " + redeemed.raw());
        assertEquals(tokensBefore, e2e.apiVideo.uploadTokens.size(), "api.video was not asked during the start");
        // Opening the link again while the interview is live rejoins the same session.
        E2eApp.Reply again = e2e.redeem(token, "after_ready");
        assertEquals(redeemed.body().path("session_id"), again.body().path("session_id"));
        String candidateToken = E2eApp.candidateToken(again.body().path("websocket_url").asText());
        String grantUrl = recording.path("grant_url").asText();

        // Hostile callers first: no token, another tenant's staff, another session's candidate.
        assertEquals(401, e2e.post(grantUrl, null, Map.of()).status());
        E2eApp.Reply otherTenant = e2e.post(grantUrl, e2e.staffToken(
                ai.interviewinsights.domain.model.identity.TenantId.of("33333333-3333-4333-8333-333333333333"),
                ai.interviewinsights.domain.model.identity.Role.ADMIN), Map.of());
        assertEquals(404, otherTenant.status(), otherTenant.raw());
        JsonNode otherSession = e2e.startSession(positionId, "Eve").body();
        String othersToken = E2eApp.candidateToken(otherSession.path("websocket_url").asText());
        E2eApp.Reply foreign = e2e.post(grantUrl, othersToken, Map.of());
        assertEquals(403, foreign.status(), foreign.raw());
        assertEquals("access.other_session", foreign.body().path("code").asText());
        E2eApp.Reply cancelled = e2e.post("/api/sessions/" + otherSession.path("session_id").asText() + "/cancel",
                e2e.adminToken, Map.of());
        assertEquals(200, cancelled.status(), cancelled.raw()); // its runner stops: this test ends with none left
        assertEquals(tokensBefore + 1, e2e.apiVideo.uploadTokens.size(), "only Eve's own start made a token");

        E2eApp.Reply granted = e2e.post(grantUrl, candidateToken, Map.of());
        assertEquals(201, granted.status(), granted.raw());
        String videoId = granted.body().path("video_id").asText();
        assertTrue(e2e.apiVideo.uploadTokens.contains(granted.body().path("upload_token").asText()));
        E2eApp.Reply twice = e2e.post(grantUrl, candidateToken, Map.of());
        assertEquals(409, twice.status(), twice.raw());
        assertEquals("recording.already_granted", twice.body().path("code").asText());
        // A reload now rejoins without a grant, and is told why.
        JsonNode rejoined = e2e.redeem(token, "after_ready").body().path("recording");
        assertFalse(rejoined.path("enabled").asBoolean(), rejoined.toString());
        assertTrue(rejoined.path("grant_url").isMissingNode(), rejoined.toString());
        assertTrue(rejoined.path("reason").asText().contains("granted to the browser that joined first"),
                rejoined.toString());

        JsonNode report = playInterview(again.body(), videoId);
        assertStoredOnceInOrder(report);
        assertFinished(report);
        assertEquals("invite", report.path("session").path("origin").asText());
        assertEquals(videoId, report.path("session").path("recording").path("video_id").asText(),
                "the session keeps the video granted after READY");
        assertTrue(report.path("session").path("recording").path("reported_at").isTextual(), report.toString());
        assertEquals(410, e2e.post(grantUrl, candidateToken, Map.of()).status(), "no grant once it is over");
        assertEquals(410, e2e.redeem(token).status(),
                "the link is used up once its interview is over");
        E2eApp.Reply unknown = e2e.post("/api/invites/redeem", null, Map.of("token", token, "recording_grant",
                "sometime"));
        assertEquals(400, unknown.status(), unknown.raw());
        assertEquals("invalid.recording_grant", unknown.body().path("code").asText());
    }
}
