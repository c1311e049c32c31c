package ai.interviewinsights.app.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.e2e.E2eApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real headless Chromium opens an invite link: the candidate page redeems the invite, joins the runner's WebSocket,
 * sends the offer Chromium itself produced (real microphone track, oai-events data channel), applies the answer that
 * came back through the relay, forwards transcript events, and ends the interview. OpenAI is the wire-faithful fake;
 * its ICE candidates are unreachable from here, so the data channel is fed through the page's own event handler.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CandidatePageBrowserTest {

    private E2eApp e2e;
    private Playwright playwright;
    private Browser browser;

    @BeforeAll
    void start() throws Exception {
        e2e = E2eApp.start();
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Path chromium = Path.of("/usr/bin/chromium");
        assertTrue(Files.isExecutable(chromium), "Debian's chromium is installed by scripts/test");
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream")));
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        e2e.close();
    }

    @Test
    void a_candidate_opens_the_invite_link_and_interviews_in_a_real_browser() throws Exception {
        String position = e2e.post("/api/positions", e2e.adminToken, Map.of("title", "Backend Engineer",
                "competencies", List.of(Map.of("name", "Design")))).body().path("id").asText();
        String candidate = e2e.post("/api/candidates", e2e.adminToken, Map.of("name", "Ada Lovelace")).body()
                .path("id").asText();
        JsonNode invite = e2e.post("/api/invites", e2e.adminToken, Map.of("candidate_id", candidate,
                "position_id", position)).body();
        e2e.openai.scriptNextCall(List.of(
                ai.interviewinsights.app.e2e.FakeOpenAi.added("item_a1", null, "assistant"),
                ai.interviewinsights.app.e2e.FakeOpenAi.aiDone("item_a1", "Welcome, Ada.")));

        Page page = browser.newPage();
        page.navigate(invite.path("url").asText());
        page.waitForFunction("() => window.interview && window.interview.answerApplied === true");
        assertEquals("Backend Engineer at Local Company", page.textContent("#title"));
        assertEquals("stable", page.evaluate("() => window.interview.signalingState"),
                "Chromium accepted the relayed answer");

        // What the oai-events data channel would deliver, through the page's own handler.
        page.evaluate("() => { const i = window.interview;"
                + " i.onServerEvent({type:'conversation.item.added', previous_item_id:'item_a1',"
                + "   item:{id:'item_u1', type:'message', role:'user'}});"
                + " i.onServerEvent({type:'conversation.item.input_audio_transcription.completed',"
                + "   item_id:'item_u1', transcript:'Thank you, glad to be here.'}); }");
        page.waitForFunction("() => window.interview.durable.has('item_u1') && window.interview.pending.size === 0");
        page.click("#end");
        page.waitForFunction("() => window.interview.status === 'ended'");
        assertEquals(List.of(), page.evaluate("() => window.interview.errors"));

        String session = (String) page.evaluate("() => window.interview.session");
        JsonNode report = null;
        for (int i = 0; i < 200; i++) {
            report = e2e.get("/api/sessions/" + session + "/report", e2e.adminToken).body();
            if ("completed".equals(report.path("session").path("status").asText())) {
                break;
            }
            Thread.sleep(100);
        }
        List<String> lines = new ArrayList<>();
        report.path("transcript").forEach(e -> lines.add(e.path("speaker").asText() + ": " + e.path("text").asText()));
        assertEquals(List.of("ai: Welcome, Ada.", "candidate: Thank you, glad to be here."), lines);
        assertEquals("completed", report.path("session").path("status").asText());
        String offer = e2e.openai.relayedOffers().get(e2e.openai.relayedOffers().size() - 1);
        assertTrue(offer.contains("m=application") && offer.contains("webrtc-datachannel"),
                "Chromium's own offer carried the data channel");
        page.close();
    }
}
