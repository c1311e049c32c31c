package ai.interviewinsights.app.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.e2e.E2eApp;
import ai.interviewinsights.app.e2e.Eventually;
import ai.interviewinsights.domain.model.runner.RunnerId;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: staff come back to an admin-flow interview whose runner is gone (as after its control plane restarted)
 * the way a candidate comes back through the invite link. In real Chromium: the console's room is in the call, the
 * runner goes away while the session stays live, the page is reloaded, and the room rejoins through
 * {@code POST /api/sessions/{id}/rejoin}: the same session on a fresh runner, which carries on after the stored
 * transcript.
 */
class StaffRoomRejoinBrowserTest {

    @Test
    void a_reload_after_the_runner_is_gone_resumes_the_same_session_on_a_fresh_runner() throws Exception {
        try (E2eApp e2e = E2eApp.start(); Browsers browsers = new Browsers()) {
            String position = e2e.post("/api/positions", e2e.adminToken, Map.of("title", "Data Engineer",
                    "competencies", List.of(Map.of("name", "Pipelines")))).body().path("id").asText();
            String candidate = e2e.post("/api/candidates", e2e.adminToken, Map.of("name", "Katherine Johnson"))
                    .body().path("id").asText();
            JsonNode started = e2e.post("/api/sessions", e2e.adminToken, Map.of("candidate_id", candidate,
                    "position_id", position)).body();
            String session = started.path("session_id").asText();
            String origin = e2e.url("");
            e2e.openai.scriptNextCall(List.of());
            try (BrowserContext context = browsers.context(origin)) {
                // What the console does when staff press Start: its token and the session in this tab's storage.
                context.addInitScript("if (!sessionStorage.getItem('ii.room')) {"
                        + " sessionStorage.setItem('ii.staff-token', " + quoted(e2e.adminToken) + ");"
                        + " sessionStorage.setItem('ii.room', " + quoted(started.toString()) + "); }");
                Page page = context.newPage();
                // What the page logs as errors, and where: the browser's own favicon request (no icon is served) and
                // the reconnects to the runner that went away fail, as they must; nothing else may.
                List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
                page.onConsoleMessage(m -> {
                    String where = m.location() == null ? "" : m.location();
                    if ("error".equals(m.type()) && !where.contains("/favicon.ico")
                            && !m.text().contains("WebSocket connection to")) {
                        errors.add(m.text() + " at " + where);
                    }
                });
                page.onPageError(e -> errors.add("page error: " + e));
                page.navigate(origin + "/room");
                page.waitForFunction("() => window.interview && window.interview.phase === 'lobby'");
                page.check("#consent");
                page.click("#mic-check");
                page.waitForFunction("() => window.interview.micChecked");
                page.click("#start");
                page.waitForFunction("() => window.interview.answerApplied === true");
                page.evaluate("() => { const i = window.interview;"
                        + " i.onServerEvent({type:'conversation.item.added', previous_item_id:null,"
                        + "   item:{id:'item_k1', type:'message', role:'user'}});"
                        + " i.onServerEvent({type:'conversation.item.input_audio_transcription.completed',"
                        + "   item_id:'item_k1', transcript:'I build pipelines that survive retries.'}); }");
                page.waitForFunction("() => window.interview.durable.has('item_k1')");

                // The runner goes away while the interview is live (its control plane restarted, say).
                String gone = runnerOf(e2e, session);
                e2e.openai.scriptNextCall(List.of());
                e2e.controlPlane().localRunners().orElseThrow().destroy(e2e.tenant(), new RunnerId(gone));
                assertEquals("active", e2e.get("/api/sessions/" + session, e2e.adminToken).body().path("status")
                        .asText(), "the session is still live");

                page.reload();
                page.waitForFunction("() => window.interview && window.interview.answerApplied === true");
                assertEquals(session, page.evaluate("() => window.interview.session"), "the same interview");
                String fresh = runnerOf(e2e, session);
                assertNotEquals(gone, fresh, "a fresh runner");
                assertTrue(e2e.controlPlane().localRunners().orElseThrow().pids().contains(Long.parseLong(fresh)));
                page.evaluate("() => { const i = window.interview;"
                        + " i.onServerEvent({type:'conversation.item.added', previous_item_id:'item_k1',"
                        + "   item:{id:'item_k2', type:'message', role:'user'}});"
                        + " i.onServerEvent({type:'conversation.item.input_audio_transcription.completed',"
                        + "   item_id:'item_k2', transcript:'And I test them by killing them.'}); }");
                page.waitForFunction("() => window.interview.durable.has('item_k2')");
                page.click("#end");
                page.click("#confirm-yes");
                page.waitForFunction("() => window.interview.phase === 'done'");
                assertEquals(List.of(), errors);
            }
            JsonNode report = Eventually.until("the interview is over", Duration.ofSeconds(60),
                    () -> e2e.get("/api/sessions/" + session + "/report", e2e.adminToken).body(),
                    r -> List.of("ending", "completed").contains(r.path("session").path("status").asText()));
            List<String> lines = new ArrayList<>();
            report.path("transcript").forEach(e -> lines.add(e.path("position").asLong() + " " + e.path("text")
                    .asText()));
            assertEquals(List.of("0 I build pipelines that survive retries.", "1 And I test them by killing them."),
                    lines, "the transcript so far kept, the fresh runner's entries after it");
            long replaced = e2e.controlPlane().auditEvents(e2e.tenant(), 200).stream()
                    .filter(event -> event.action().equals("session.runner_replaced")).count();
            assertEquals(1, replaced);
            Eventually.until("no runner process is left", Duration.ofSeconds(60),
                    () -> e2e.controlPlane().localRunners().orElseThrow().pids().isEmpty(),
                    () -> "runners " + e2e.controlPlane().localRunners().orElseThrow().pids());
        }
    }

    /** A JavaScript string literal. */
    private static String quoted(String text) throws Exception {
        return ai.interviewinsights.app.web.Json.mapper().writeValueAsString(text);
    }

    private static String runnerOf(E2eApp e2e, String session) throws Exception {
        return e2e.get("/api/sessions/" + session, e2e.adminToken).body().path("runner").path("id").asText();
    }
}
