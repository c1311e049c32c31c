package ai.interviewinsights.app.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.e2e.E2eApp;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.SelectOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The console's choice of architecture (issue 12), in real headless Chromium against the real app: a staff member
 * starts an interview in this browser with "Proxy" picked, and the session is created with {@code architecture:
 * proxy}; an invite made with "Proxy" picked starts a proxied session when the candidate opens it; left alone, the
 * choice is the default, hybrid. axe-core checks both forms.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleArchitectureBrowserTest {

    private E2eApp e2e;
    private Browsers browsers;

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

    @Test
    void staff_pick_the_proxy_architecture_for_an_interview_and_for_an_invite() throws Exception {
        e2e.post("/api/positions", e2e.adminToken, Map.of("title", "Site Reliability Engineer", "description",
                "Keeps the lights on.", "competencies", List.of(Map.of("name", "Incidents", "weight", 2))));
        e2e.post("/api/candidates", e2e.adminToken, Map.of("name", "Grace Hopper"));
        String origin = "http://127.0.0.1:" + e2e.port();
        List<String> accessibility = new ArrayList<>();
        List<String> started = new ArrayList<>();
        try (BrowserContext context = browsers.context(origin)) {
            Page page = context.newPage();
            List<String> errors = Browsers.watchErrors(page);
            page.navigate(origin + "/");
            page.fill("#token", e2e.adminToken);
            page.click("#token-form button[type=submit]");
            page.waitForSelector("#view-sessions:not([hidden])");

            // The invite first (the staff flow below leaves the console for the room).
            page.click("#nav a[data-view=invites]");
            page.waitForSelector("#view-invites:not([hidden])");
            page.waitForFunction("() => document.querySelector('#invite-candidate').options.length > 0");
            assertEquals("hybrid", page.inputValue("#invite-architecture"), "the default is hybrid");
            page.selectOption("#invite-candidate", new SelectOption().setLabel("Grace Hopper"));
            page.selectOption("#invite-position", new SelectOption().setLabel("Site Reliability Engineer"));
            page.selectOption("#invite-architecture", "proxy");
            Browsers.seriousAccessibilityViolations(page).forEach(v -> accessibility.add("invites -> " + v));
            page.click("#invite-form button[type=submit]");
            page.waitForSelector("#invite-created:not([hidden])");
            String link = page.inputValue("#invite-link");
            E2eApp.Reply redeemed = e2e.redeem(link.substring(link.lastIndexOf('/') + 1));
            assertEquals(200, redeemed.status(), redeemed.raw());
            String invited = redeemed.body().path("session_id").asText();
            started.add(invited);
            assertEquals("proxy", architecture(invited), "the invite's session is proxied");

            page.click("#nav a[data-view=sessions]");
            page.waitForSelector("#view-sessions:not([hidden])");
            page.waitForFunction("() => document.querySelector('#start-candidate').options.length > 0");
            assertEquals("hybrid", page.inputValue("#start-architecture"), "the default is hybrid");
            page.selectOption("#start-candidate", new SelectOption().setLabel("Grace Hopper"));
            page.selectOption("#start-position", new SelectOption().setLabel("Site Reliability Engineer"));
            page.selectOption("#start-architecture", new SelectOption().setLabel(
                    "Proxy: the runner carries the audio (the browser never reaches OpenAI)"));
            Browsers.seriousAccessibilityViolations(page).forEach(v -> accessibility.add("sessions -> " + v));
            // The body is gone once the console moves to the room: the status and the request are read here, the
            // session's id from what the console handed the room.
            com.microsoft.playwright.Response reply = page.waitForResponse(r -> r.url().endsWith("/api/sessions")
                    && "POST".equals(r.request().method()), () -> page.click("#start-form button[type=submit]"));
            assertEquals(201, reply.status());
            assertEquals("proxy", new com.fasterxml.jackson.databind.ObjectMapper().readTree(reply.request()
                    .postData()).path("settings").path("architecture").asText(), reply.request().postData());
            page.waitForURL(origin + "/room");
            page.waitForFunction("() => window.interview && window.interview.phase === 'lobby'");
            String session = (String) page.evaluate(
                    "() => JSON.parse(sessionStorage.getItem('ii.room')).session_id");
            started.add(session);
            assertEquals("proxy", architecture(session), "the session is created with architecture: proxy");
            assertEquals(List.of(), errors);
        } finally {
            for (String session : started) {
                e2e.post("/api/sessions/" + session + "/cancel", e2e.adminToken, Map.of());
            }
        }
        assertTrue(accessibility.isEmpty(), "no serious or critical accessibility violations: " + accessibility);
    }

    private String architecture(String session) throws Exception {
        E2eApp.Reply reply = e2e.get("/api/sessions/" + session, e2e.adminToken);
        assertEquals(200, reply.status(), reply.raw());
        return reply.body().path("settings").path("architecture").asText();
    }
}
