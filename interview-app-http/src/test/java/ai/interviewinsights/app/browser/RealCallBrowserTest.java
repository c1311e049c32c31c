package ai.interviewinsights.app.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.e2e.E2eApp;
import ai.interviewinsights.app.e2e.Eventually;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A real call: Chromium's peer connection connects (ICE, DTLS, SCTP) to the local realtime endpoint's webrtc-java
 * peer, the interviewer's greeting arrives on the real oai-events data channel and shows as a live caption, the
 * indicator says "Connected" only once the peer connection is, and the runner's sideband stores the greeting. The
 * endpoint runs in its own JVM ({@link LocalRealtimeProcess}): its native WebRTC stack cannot take this one down.
 */
class RealCallBrowserTest {

    @Test
    void the_call_connects_and_the_interviewers_words_arrive_as_captions_on_the_data_channel() throws Exception {
        try (LocalRealtimeProcess local = LocalRealtimeProcess.start(E2eApp.OPENAI_KEY);
             E2eApp e2e = E2eApp.start(Map.of("OPENAI_BASE_URL", local.baseUrl()));
             Browsers browsers = new Browsers()) {
            String position = e2e.post("/api/positions", e2e.adminToken, Map.of("title", "Site Engineer",
                    "competencies", List.of(Map.of("name", "Safety")))).body().path("id").asText();
            String candidate = e2e.post("/api/candidates", e2e.adminToken, Map.of("name", "Emily Roebling")).body()
                    .path("id").asText();
            JsonNode invite = e2e.post("/api/invites", e2e.adminToken, Map.of("candidate_id", candidate,
                    "position_id", position)).body();
            String url = invite.path("url").asText();
            try (BrowserContext context = browsers.context(url.substring(0, url.indexOf("/interview/")))) {
                Page page = context.newPage();
                page.navigate(url);
                page.waitForFunction("() => window.interview && window.interview.phase === 'lobby'");
                page.check("#consent");
                page.click("#mic-check");
                page.waitForFunction("() => window.interview.micChecked");
                page.click("#start");
                waitOrExplain(page, local, "() => window.interview.connection === 'connected'");
                assertEquals("Connected", page.textContent("#connection"));
                waitOrExplain(page, local, "() => [...document.querySelectorAll('#captions p.ai')]"
                        + ".some(p => p.dataset.final === 'true' && p.textContent.length > 20)");
                String greeting = page.textContent("#captions p.ai").strip();
                assertTrue(greeting.startsWith("Interviewer: "), greeting);
                assertTrue(greeting.contains("Emily"), "the interviewer greets the candidate by name: " + greeting);
                Browsers.screenshot(page, "room-real-call");
                String session = (String) page.evaluate("() => window.interview.session");
                page.click("#end");
                page.click("#confirm-yes");
                page.waitForFunction("() => window.interview.phase === 'done'");

                // The shared patience (a runner ending on a loaded machine); a failure says so rather than falling
                // through to a null first line.
                JsonNode report = Eventually.until("completed with a transcript", () -> e2e.get("/api/sessions/"
                        + session + "/report", e2e.adminToken).body(), r -> !r.path("transcript").isEmpty()
                        && "completed".equals(r.path("session").path("status").asText()));
                JsonNode first = report.path("transcript").get(0);
                assertEquals("ai", first.path("speaker").asText(), report.toString());
                assertEquals(greeting.substring("Interviewer: ".length()), first.path("text").asText());
                assertFalse("client".equals(first.path("source").asText()),
                        "the runner's sideband heard it too: a verified line");
                // Not asserted here: the endpoint's own process may abort after the hang-up (webrtc-java's
                // audio_send_stream race check, reported to the realtime endpoint's owners); mid-call it fails above.
            }
        }
    }

    /** Waits up to a minute; if the endpoint's process died meanwhile, fails with its own account of why. */
    private static void waitOrExplain(Page page, LocalRealtimeProcess local, String condition) throws Exception {
        for (int i = 0; i < 120; i++) {
            if (Boolean.TRUE.equals(page.evaluate(condition))) {
                return;
            }
            if (local.crash() != null) {
                throw new AssertionError(local.crash());
            }
            Thread.sleep(500);
        }
        throw new AssertionError("timed out waiting for " + condition);
    }
}
