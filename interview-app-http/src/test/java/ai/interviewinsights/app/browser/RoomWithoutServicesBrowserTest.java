package ai.interviewinsights.app.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.e2e.E2eApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The room when the operator has configured less: without recording the camera is never requested; without
 * OpenAI the candidate is told the service is unavailable, in their words, never the operator's hint.
 */
class RoomWithoutServicesBrowserTest {

    private static JsonNode invite(E2eApp e2e) throws Exception {
        String position = e2e.post("/api/positions", e2e.adminToken, Map.of("title", "Analyst",
                "competencies", List.of(Map.of("name", "Rigour")))).body().path("id").asText();
        String candidate = e2e.post("/api/candidates", e2e.adminToken, Map.of("name", "Mary Jackson")).body()
                .path("id").asText();
        return e2e.post("/api/invites", e2e.adminToken, Map.of("candidate_id", candidate, "position_id", position))
                .body();
    }

    private static Page lobby(Browsers browsers, JsonNode invite) {
        String url = invite.path("url").asText();
        BrowserContext context = browsers.context(url.substring(0, url.indexOf("/interview/")));
        Page page = context.newPage();
        page.navigate(url);
        page.waitForFunction("() => window.interview && window.interview.phase === 'lobby'");
        page.check("#consent");
        page.click("#mic-check");
        page.waitForFunction("() => window.interview.micChecked");
        return page;
    }

    @Test
    void without_recording_the_camera_is_never_requested() throws Exception {
        try (E2eApp e2e = E2eApp.start(Map.of("APIVIDEO_API_KEY", "", "APIVIDEO_WEBHOOK_SECRET", ""));
             Browsers browsers = new Browsers()) {
            Page page = lobby(browsers, invite(e2e));
            assertTrue(page.textContent("#lobby-recording").contains("not recorded"));
            assertFalse(page.textContent("#notice").contains("recorded on video"));
            assertEquals(0, ((Number) page.evaluate("() => window.interview.videoTracks")).intValue());
            assertFalse(page.isVisible("#preview"));
            page.click("#start");
            page.waitForFunction("() => window.interview.answerApplied === true");
            assertEquals(Boolean.TRUE, page.evaluate("() => !window.interview.recorder"));
            page.click("#end");
            page.click("#confirm-yes");
            page.waitForFunction("() => window.interview.phase === 'done'");
        }
    }

    @Test
    void without_openai_the_candidate_hears_the_service_is_unavailable_not_the_operators_hint() throws Exception {
        try (E2eApp e2e = E2eApp.start(Map.of("OPENAI_API_KEY", "", "LOCAL_REALTIME", "off")); Browsers browsers = new Browsers()) {
            Page page = lobby(browsers, invite(e2e));
            page.click("#start");
            page.waitForFunction("() => window.interview.phase === 'problem'");
            assertEquals("The interview service is not available right now", page.textContent("#problem-title"));
            String shown = page.textContent("#main");
            assertFalse(shown.contains("OPENAI") || shown.contains("realtime.") || shown.contains("not_configured"),
                    shown);
            assertTrue(page.isVisible("#retry"), "the candidate can try again");
            Thread.sleep(2500);
            assertEquals(Boolean.TRUE, page.evaluate("() => !window.interview.socketOpen"
                    + " && window.interview.reconnects === 0"), "behind a problem page nothing reconnects");
            assertEquals(List.of(), Browsers.seriousAccessibilityViolations(page));
            Browsers.screenshot(page, "room-service-unavailable");
        }
    }
}
