package ai.interviewinsights.app.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.e2e.E2eApp;
import ai.interviewinsights.app.e2e.Eventually;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A recruiter's whole day in the console, in real headless Chromium against the real app: sign in with the local
 * token, define a position with weighted competencies, add a candidate, create, copy and revoke an invite, start an
 * interview in this browser (the staff flow: the same room, the candidate consents), then read the report: the
 * transcript with its unverified badge, a failed evaluation retried, an evidence quote that finds its line, and a
 * reviewer's override beside the model's score. axe-core checks every screen on the way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminConsoleBrowserTest {

    private E2eApp e2e;
    private Browsers browsers;
    private final List<String> accessibility = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        e2e = E2eApp.start();
        browsers = new Browsers();
    }

    @AfterAll
    void stop() throws Exception {
        if (browsers != null) {
            browsers.close();
        }
        e2e.close();
    }

    private void check(Page page, String screen) {
        Browsers.screenshot(page, screen);
        Browsers.seriousAccessibilityViolations(page).forEach(v -> accessibility.add(screen + " -> " + v));
    }

    private static void go(Page page, String view) {
        page.click("#nav a[data-view=" + view + "]");
        page.waitForSelector("#view-" + view + ":not([hidden])");
    }

    @Test
    void sign_in_position_candidate_invite_interview_in_the_browser_and_report() throws Exception {
        String origin = "http://127.0.0.1:" + e2e.port();
        try (BrowserContext context = browsers.context(origin)) {
            Page page = context.newPage();
            List<String> errors = Browsers.watchErrors(page);
            page.navigate(origin + "/");
            page.waitForSelector("#view-signin:not([hidden])");
            check(page, "console-sign-in");
            page.fill("#token", "not-a-token");
            page.click("#token-form button[type=submit]");
            page.waitForFunction("() => document.querySelector('#failure').textContent.length > 0");
            assertTrue(page.isVisible("#view-signin"), "a bad token does not get in");
            errors.clear(); // the refused token's 401 is logged by the browser, as it should be
            page.fill("#token", e2e.adminToken);
            page.click("#token-form button[type=submit]");
            page.waitForSelector("#view-sessions:not([hidden])");
            assertEquals("", page.textContent("#failure"));

            go(page, "positions");
            page.fill("#position-title", "Data Engineer");
            page.fill("#competency-name-1", "Pipelines");
            page.fill("#competency-weight-1", "3");
            page.click("#add-competency");
            page.fill("#competency-name-2", "Communication");
            page.fill("#competency-weight-2", "2");
            page.click("#position-form button[type=submit]");
            page.waitForFunction("() => document.querySelector('#positions-list').textContent"
                    + ".includes('Data Engineer')");
            assertTrue(page.textContent("#positions-list").contains("Pipelines (weight 3)"));
            check(page, "console-positions");

            go(page, "candidates");
            page.fill("#candidate-name", "Katherine Johnson");
            page.fill("#candidate-email", "katherine@example.com");
            page.click("#candidate-form button[type=submit]");
            page.waitForFunction("() => document.querySelector('#candidates-list').textContent"
                    + ".includes('Katherine Johnson')");
            check(page, "console-candidates");

            go(page, "invites");
            page.selectOption("#invite-candidate", new com.microsoft.playwright.options.SelectOption()
                    .setLabel("Katherine Johnson"));
            page.selectOption("#invite-position", new com.microsoft.playwright.options.SelectOption()
                    .setLabel("Data Engineer"));
            page.click("#invite-form button[type=submit]");
            page.waitForSelector("#invite-created:not([hidden])");
            String link = page.inputValue("#invite-link");
            assertTrue(link.startsWith(origin + "/interview/"), link);
            page.click("#copy-link");
            page.waitForFunction("() => document.querySelector('#flash').textContent === 'Link copied.'");
            Locator row = page.locator("#invites-rows tr").first();
            assertEquals("pending", row.locator(".invite-status").textContent());
            check(page, "console-invites");
            row.locator("button", new Locator.LocatorOptions().setHasText("Revoke")).click();
            page.waitForFunction("() => document.querySelector('#invites-rows tr .invite-status').textContent"
                    + " === 'revoked'");
            assertEquals("revoked", e2e.post("/api/invites/lobby", null, java.util.Map.of("token",
                    link.substring(link.lastIndexOf('/') + 1))).body().path("state").asText());

            go(page, "notice");
            page.waitForFunction("() => document.querySelector('#notice-ai').value.length > 0");
            assertTrue(page.inputValue("#notice-ai").contains("AI interviewer"));
            check(page, "console-notice");

            // Start an interview in this browser: the staff flow, in the same room as an invite link.
            go(page, "sessions");
            page.selectOption("#start-candidate", new com.microsoft.playwright.options.SelectOption()
                    .setLabel("Katherine Johnson"));
            page.selectOption("#start-position", new com.microsoft.playwright.options.SelectOption()
                    .setLabel("Data Engineer"));
            page.click("#start-form button[type=submit]");
            page.waitForURL(origin + "/room");
            page.waitForFunction("() => window.interview && window.interview.phase === 'lobby'");
            assertEquals("Data Engineer at Local Company", page.textContent("#lobby-title"));
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
            String session = (String) page.evaluate("() => window.interview.session");
            page.click("#end");
            page.click("#confirm-yes");
            page.waitForFunction("() => window.interview.phase === 'done'");
            waitForStatus(session, "completed");

            // The evaluation failed (the fake model answered nothing usable); the console retries it.
            page.navigate(origin + "/#sessions");
            page.waitForSelector("#sessions-rows tr[data-session='" + session + "']");
            Locator sessionRow = page.locator("#sessions-rows tr[data-session='" + session + "']");
            assertTrue(sessionRow.textContent().contains("Katherine Johnson"), sessionRow.textContent());
            assertTrue(sessionRow.textContent().contains("Data Engineer"));
            page.selectOption("#filter-status", "failed");
            page.click("#filter-form button[type=submit]");
            page.waitForFunction("() => !document.querySelector(\"#sessions-rows tr[data-session='" + session
                    + "']\")");
            page.selectOption("#filter-status", "completed");
            page.click("#filter-form button[type=submit]");
            page.waitForSelector("#sessions-rows tr[data-session='" + session + "']");
            check(page, "console-sessions");

            page.click("#sessions-rows tr[data-session='" + session + "'] a");
            page.waitForSelector("#view-report:not([hidden]) #transcript li");
            assertTrue(page.textContent("#transcript").contains("I build pipelines that survive retries."));
            assertTrue(page.isVisible("#entry-item_k1 .badge"), "a line only the browser reported is unverified");
            page.waitForSelector("#retry-evaluation");
            e2e.openai.evaluationReply("{\"competencies\":{\"Pipelines\":{\"score\":3,\"rationale\":\"Knows"
                    + " retries.\",\"evidence\":[{\"entry\":\"item_k1\",\"quote\":\"pipelines that survive"
                    + " retries\"}]},\"Communication\":{\"score\":4,\"rationale\":\"Clear.\",\"evidence\":[]}},"
                    + "\"recommendation\":\"hire\",\"summary\":\"Reliable.\"}");
            page.click("#retry-evaluation");
            page.waitForSelector("article.score[data-competency=Pipelines]");
            Locator pipelines = page.locator("article.score[data-competency=Pipelines]");
            assertEquals("3 / 5", pipelines.locator(".model-score").textContent());

            pipelines.locator("button.quote").click();
            assertEquals(Boolean.TRUE, page.evaluate("() => document.getElementById('entry-item_k1')"
                    + ".classList.contains('highlight') && document.activeElement.id === 'entry-item_k1'"));

            pipelines.locator("summary").click();
            pipelines.locator("select").selectOption("5");
            pipelines.locator("input[type=text]").fill("Designed for failure from the start");
            pipelines.locator("button[type=submit]").click();
            page.waitForSelector("article.score[data-competency=Pipelines] .override");
            pipelines = page.locator("article.score[data-competency=Pipelines]");
            assertEquals("3 / 5", pipelines.locator(".model-score").textContent(), "the model's score stays");
            assertTrue(pipelines.locator(".override").textContent().contains("5 / 5"));
            assertTrue(pipelines.locator(".override").textContent().contains("Designed for failure"));
            check(page, "console-report");

            // Cancel a live interview from the list (after the confirmation).
            String live = e2e.post("/api/sessions", e2e.adminToken, java.util.Map.of("candidate_id",
                    e2e.get("/api/sessions/" + session, e2e.adminToken).body().path("candidate_id").asText(),
                    "position_id", e2e.get("/api/sessions/" + session, e2e.adminToken).body().path("position_id")
                            .asText())).body().path("session_id").asText();
            page.navigate(origin + "/#sessions");
            page.selectOption("#filter-status", "");
            page.click("#filter-form button[type=submit]");
            Locator liveRow = page.locator("#sessions-rows tr[data-session='" + live + "']");
            liveRow.waitFor();
            page.onceDialog(dialog -> dialog.accept());
            liveRow.locator("button").click();
            page.waitForFunction("() => document.querySelector(\"#sessions-rows tr[data-session='" + live
                    + "']\").textContent.includes('cancelled')");
            assertEquals("cancelled", e2e.get("/api/sessions/" + live, e2e.adminToken).body().path("status")
                    .asText());
            assertEquals(List.of(), errors);
        }
        assertEquals(List.of(), accessibility, "no serious or critical accessibility violations");
    }

    /** The shared patience (a runner ending on a loaded machine), not 20 s. */
    private void waitForStatus(String session, String status) throws Exception {
        Eventually.until("session " + session + " " + status, () -> e2e.get("/api/sessions/" + session,
                e2e.adminToken).body().path("status").asText(), status::equals);
    }
}
