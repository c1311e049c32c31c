package ai.interviewinsights.app.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.e2e.E2eApp;
import ai.interviewinsights.app.e2e.Eventually;
import ai.interviewinsights.app.e2e.FakeOpenAi;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.WebSocketRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The interview room in a real headless Chromium (fake camera and microphone), against the real app: runner
 * processes, real WebSockets, the wire-faithful fake OpenAI. That fake answers the SDP but its ICE candidates are
 * unreachable, so the call never carries audio here; what the oai-events data channel would deliver is fed through
 * the page's own handler, and everything else (lobby, consent, devices, the runner protocol, captions, countdown,
 * reconnects, the end) runs for real.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InterviewRoomBrowserTest {

    private E2eApp e2e;
    private Browsers browsers;
    private String position;
    private String candidate;

    @BeforeAll
    void start() throws Exception {
        e2e = E2eApp.start();
        browsers = new Browsers();
        position = e2e.post("/api/positions", e2e.adminToken, Map.of("title", "Backend Engineer",
                "competencies", List.of(Map.of("name", "Design")))).body().path("id").asText();
        candidate = e2e.post("/api/candidates", e2e.adminToken, Map.of("name", "Ada Lovelace")).body()
                .path("id").asText();
    }

    @AfterAll
    void stop() throws Exception {
        if (browsers != null) {
            browsers.close();
        }
        e2e.close();
    }

    private JsonNode invite() throws Exception {
        return e2e.post("/api/invites", e2e.adminToken, Map.of("candidate_id", candidate, "position_id", position))
                .body();
    }

    private String inviteStatus(JsonNode invite) throws Exception {
        return e2e.get("/api/invites/" + invite.path("id").asText(), e2e.adminToken).body().path("status").asText();
    }

    private Page open(BrowserContext context, String url) {
        Page page = context.newPage();
        page.navigate(url);
        page.waitForFunction("() => window.interview && window.interview.phase !== 'loading'");
        return page;
    }

    private static void consentAndCheckDevices(Page page) {
        assertTrue(page.isDisabled("#start"), "Start waits for consent and the microphone check");
        page.check("#consent");
        assertTrue(page.isDisabled("#start"));
        page.click("#mic-check");
        page.waitForFunction("() => window.interview.micChecked && window.interview.micPeak > 0");
        assertFalse(page.isDisabled("#start"));
    }

    private BrowserContext context(JsonNode invite) {
        String url = invite.path("url").asText();
        return browsers.context(url.substring(0, url.indexOf("/interview/")));
    }

    @Test
    void lobby_consent_microphone_start_captions_end_and_thank_you() throws Exception {
        JsonNode invite = invite();
        e2e.openai.scriptNextCall(List.of());
        try (BrowserContext context = context(invite)) {
            Page page = open(context, invite.path("url").asText());
            List<String> consoleErrors = Browsers.watchErrors(page);
            assertEquals("lobby", page.evaluate("() => window.interview.phase"));
            assertEquals("Backend Engineer at Local Company", page.textContent("#lobby-title"));
            assertTrue(page.textContent("#lobby-who").contains("Ada Lovelace"));
            assertTrue(page.textContent("#notice").contains("AI interviewer"));
            assertTrue(page.textContent("#notice").contains("recorded"), "recording is on in this app");
            assertEquals("pending", inviteStatus(invite), "opening the link uses nothing up");
            Browsers.screenshot(page, "room-lobby");
            assertEquals(List.of(), Browsers.seriousAccessibilityViolations(page), "lobby");

            consentAndCheckDevices(page);
            assertTrue(page.isVisible("#preview"), "a recorded interview shows the camera preview");
            page.click("#start");
            page.waitForFunction("() => window.interview.answerApplied === true");
            assertEquals("redeemed", inviteStatus(invite));
            page.waitForFunction("() => !!window.interview.deadline");
            assertTrue(page.textContent("#countdown").matches("\\d+:\\d\\d"), page.textContent("#countdown"));
            assertEquals("Connecting…", page.textContent("#connection"),
                    "the call never connects here (unreachable ICE), and the page does not pretend it did");

            // What the data channel would deliver: the interviewer speaks (deltas, then the final transcript).
            page.evaluate("() => { const i = window.interview;"
                    + " i.onServerEvent({type:'conversation.item.added', previous_item_id:null,"
                    + "   item:{id:'item_a1', type:'message', role:'assistant'}});"
                    + " i.onServerEvent({type:'response.output_audio_transcript.delta', item_id:'item_a1',"
                    + "   delta:'Welcome, '}); }");
            page.waitForSelector("#captions p[data-item=item_a1]");
            assertTrue(page.textContent("#captions").contains("Welcome,"), "live captions from deltas");
            page.evaluate("() => { const i = window.interview;"
                    + " i.onServerEvent({type:'response.output_audio_transcript.done', item_id:'item_a1',"
                    + "   transcript:'Welcome, Ada.'});"
                    + " i.onServerEvent({type:'conversation.item.added', previous_item_id:'item_a1',"
                    + "   item:{id:'item_u1', type:'message', role:'user'}});"
                    + " i.onServerEvent({type:'conversation.item.input_audio_transcription.completed',"
                    + "   item_id:'item_u1', transcript:'Thank you, glad to be here.'}); }");
            page.waitForFunction("() => window.interview.durable.has('item_u1') && window.interview.pending.size === 0");
            assertEquals("Interviewer: Welcome, Ada.", page.textContent("#captions p[data-item=item_a1]").strip());
            assertEquals("polite", page.getAttribute("#captions", "aria-live"));
            Browsers.screenshot(page, "room-call");
            assertEquals(List.of(), Browsers.seriousAccessibilityViolations(page), "call");

            page.click("#mute");
            assertEquals("true", page.getAttribute("#mute", "aria-pressed"));
            assertEquals("Unmute", page.textContent("#mute"));
            assertEquals(Boolean.TRUE, page.evaluate("() => window.interview.muted"));
            page.click("#mute");

            page.click("#end");
            assertTrue(page.isVisible("#confirm-end"), "End asks for confirmation");
            page.click("#confirm-no");
            assertEquals("call", page.evaluate("() => window.interview.phase"), "keep going keeps going");
            page.click("#end");
            page.click("#confirm-yes");
            page.waitForFunction("() => window.interview.phase === 'done'");
            assertEquals("Thank you", page.textContent("#done-title"));
            String session = (String) page.evaluate("() => window.interview.session");
            assertEquals(session, page.textContent("#done-reference"));
            Browsers.screenshot(page, "room-thank-you");
            assertEquals(List.of(), Browsers.seriousAccessibilityViolations(page), "thank-you");

            JsonNode report = waitForReport(session);
            List<String> lines = new ArrayList<>();
            report.path("transcript").forEach(e -> lines.add(e.path("speaker").asText() + ": "
                    + e.path("text").asText()));
            assertEquals(List.of("ai: Welcome, Ada.", "candidate: Thank you, glad to be here."), lines);
            JsonNode consent = e2e.get("/api/sessions/" + session + "/consent", e2e.adminToken).body();
            assertTrue(consent.path("ai_evaluation").asBoolean() && consent.path("recording").asBoolean(),
                    consent.toString());
            assertEquals(page.textContent("#notice-version"), consent.path("notice_version").asText());

            // The link, opened again once the interview is over, says so in the candidate's words.
            Page again = open(context, invite.path("url").asText());
            assertEquals("done", again.evaluate("() => window.interview.phase"));
            assertTrue(again.textContent("#done-text").contains("already finished"));
            assertEquals(session, again.textContent("#done-reference"));
            assertEquals(List.of(), consoleErrors);
        }
    }

    @Test
    void refusing_consent_starts_nothing_and_uses_nothing_up() throws Exception {
        JsonNode invite = invite();
        int sessionsBefore = e2e.get("/api/sessions", e2e.adminToken).body().path("total").asInt();
        try (BrowserContext context = context(invite)) {
            Page page = open(context, invite.path("url").asText());
            page.click("#mic-check");
            page.waitForFunction("() => window.interview.micChecked");
            assertTrue(page.isDisabled("#start"), "no Start without consent");
            page.click("#decline");
            assertEquals("You chose not to take part", page.textContent("#problem-title"));
            assertEquals(List.of(), Browsers.seriousAccessibilityViolations(page), "declined");
            assertEquals(Boolean.TRUE, page.evaluate("() => window.interview.session === undefined"));
        }
        assertEquals("pending", inviteStatus(invite), "the link is still valid");
        assertEquals(sessionsBefore, e2e.get("/api/sessions", e2e.adminToken).body().path("total").asInt(),
                "no session was started");
    }

    @Test
    void a_reload_mid_interview_resumes_the_same_session() throws Exception {
        JsonNode invite = invite();
        try (BrowserContext context = context(invite)) {
            Page page = open(context, invite.path("url").asText());
            consentAndCheckDevices(page);
            page.click("#start");
            page.waitForFunction("() => window.interview.answerApplied === true");
            String session = (String) page.evaluate("() => window.interview.session");
            int offers = e2e.openai.relayedOffers().size();

            page.reload();
            page.waitForFunction("() => window.interview && window.interview.answerApplied === true");
            assertEquals(session, page.evaluate("() => window.interview.session"), "the same interview");
            assertEquals("call", page.evaluate("() => window.interview.phase"));
            assertTrue(e2e.openai.relayedOffers().size() > offers, "the reloaded page negotiated a new call");
            page.click("#end");
            page.click("#confirm-yes");
            page.waitForFunction("() => window.interview.phase === 'done'");
        }
    }

    @Test
    void a_network_cut_shows_reconnecting_and_recovers() throws Exception {
        JsonNode invite = invite();
        try (BrowserContext context = context(invite)) {
            // Every WebSocket of the page goes through this route: it can cut the connection and refuse new ones,
            // as a dead network would, and then let them through again.
            AtomicBoolean cut = new AtomicBoolean();
            List<WebSocketRoute[]> live = new CopyOnWriteArrayList<>();
            context.routeWebSocket(Pattern.compile(".*/ws\\?.*"), ws -> {
                if (cut.get()) {
                    ws.close(new WebSocketRoute.CloseOptions().setCode(1001).setReason("network down"));
                    return;
                }
                live.add(new WebSocketRoute[] {ws, ws.connectToServer()});
            });
            Page page = open(context, invite.path("url").asText());
            consentAndCheckDevices(page);
            page.click("#start");
            page.waitForFunction("() => window.interview.answerApplied === true && window.interview.socketOpen");

            cut.set(true);
            for (WebSocketRoute[] pair : live) {
                pair[1].close(new WebSocketRoute.CloseOptions().setCode(1001).setReason("network down"));
                pair[0].close(new WebSocketRoute.CloseOptions().setCode(1001).setReason("network down"));
            }
            page.waitForFunction("() => !window.interview.socketOpen && window.interview.reconnects >= 2");
            assertEquals("Reconnecting…", page.textContent("#connection"));
            assertTrue(page.textContent("#call-status").contains("Reconnecting"), page.textContent("#call-status"));
            Browsers.screenshot(page, "room-reconnecting");
            // Said while cut off: kept and sent once the connection is back.
            page.evaluate("() => window.interview.onServerEvent({type:"
                    + "'conversation.item.input_audio_transcription.completed', item_id:'item_cut',"
                    + " transcript:'Said while offline.'})");

            cut.set(false);
            page.waitForFunction("() => window.interview.socketOpen && window.interview.durable.has('item_cut')",
                    null, new Page.WaitForFunctionOptions().setTimeout(30_000));
            assertTrue(page.textContent("#call-status").contains("Reconnected"), page.textContent("#call-status"));
            page.click("#end");
            page.click("#confirm-yes");
            page.waitForFunction("() => window.interview.phase === 'done'");
            int connections = live.size();
            // Playwright runs the route's handler only while this thread is inside a Playwright call: a plain sleep
            // would leave a reconnect unseen until after the count (vacuously passing). waitForTimeout lets it run.
            page.waitForTimeout(2500);
            assertEquals(connections, live.size(), "after the end the page stops reconnecting");
            assertEquals(Boolean.FALSE, page.evaluate("() => window.interview.socketOpen"));
        }
    }

    @Test
    void a_bad_link_and_a_withdrawn_invite_are_told_in_the_candidates_words() throws Exception {
        JsonNode invite = invite();
        e2e.post("/api/invites/" + invite.path("id").asText() + "/revoke", e2e.adminToken, Map.of());
        try (BrowserContext context = context(invite)) {
            Page page = open(context, invite.path("url").asText());
            assertEquals("This invitation was withdrawn", page.textContent("#problem-title"));
            Page bad = open(context, invite.path("url").asText().replaceAll("/interview/.*",
                    "/interview/tok_0000000000000000000000000000dead"));
            assertEquals("This link does not work", bad.textContent("#problem-title"));
            Browsers.screenshot(bad, "room-bad-link");
            assertEquals(List.of(), Browsers.seriousAccessibilityViolations(bad), "problem page");
            assertFalse(bad.textContent("#main").contains("invite."), "no error code shown");
        }
    }

    @Test
    void microphone_and_browser_problems_are_told_in_the_candidates_words() throws Exception {
        JsonNode invite = invite();
        String url = invite.path("url").asText();
        // What the browser itself reports when the candidate blocks the microphone, or has none.
        for (String[] c : new String[][] {{"NotAllowedError", "Microphone access was blocked"},
                {"NotFoundError", "No microphone found"}, {"NotReadableError", "Your microphone is in use"}}) {
            try (BrowserContext context = context(invite)) {
                context.addInitScript("navigator.mediaDevices.getUserMedia = () => Promise.reject("
                        + "new DOMException('refused', '" + c[0] + "'));");
                Page page = open(context, url);
                page.check("#consent");
                page.click("#mic-check");
                page.waitForFunction("() => document.querySelector('#mic-status').textContent.length > 30");
                assertTrue(page.textContent("#mic-status").startsWith(c[1]), page.textContent("#mic-status"));
                assertTrue(page.isDisabled("#start"), "no Start without a working microphone");
                assertFalse(page.textContent("#mic-status").contains(c[0]), "no browser error name shown");
            }
        }
        try (BrowserContext context = context(invite)) {
            context.addInitScript("delete window.RTCPeerConnection;");
            Page page = open(context, url);
            assertEquals("This browser cannot run the interview", page.textContent("#problem-title"));
        }
        assertEquals("pending", inviteStatus(invite), "none of this used the link up");
    }

    @Test
    void when_staff_cancel_the_interview_the_room_says_it_is_over_and_stops_reconnecting() throws Exception {
        JsonNode invite = invite();
        try (BrowserContext context = context(invite)) {
            Page page = open(context, invite.path("url").asText());
            consentAndCheckDevices(page);
            page.click("#start");
            page.waitForFunction("() => window.interview.answerApplied === true && window.interview.socketOpen");
            String session = (String) page.evaluate("() => window.interview.session");
            assertEquals(200, e2e.post("/api/sessions/" + session + "/cancel", e2e.adminToken, Map.of()).status());
            page.waitForFunction("() => window.interview.phase === 'done'", null,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));
            assertTrue(page.textContent("#done-text").contains("has ended"), page.textContent("#done-text"));
            int attempts = ((Number) page.evaluate("() => window.interview.reconnects")).intValue();
            Thread.sleep(3000);
            assertEquals(attempts, ((Number) page.evaluate("() => window.interview.reconnects")).intValue(),
                    "no more reconnecting once the interview is over");
        }
    }

    @Test
    void the_room_fits_a_phone_and_works_by_keyboard() throws Exception {
        JsonNode invite = invite();
        String url = invite.path("url").asText();
        try (BrowserContext context = browsers.browser.newContext(new com.microsoft.playwright.Browser
                .NewContextOptions().setViewportSize(375, 740).setIsMobile(true).setHasTouch(true))) {
            context.grantPermissions(List.of("camera", "microphone"), new BrowserContext.GrantPermissionsOptions()
                    .setOrigin(url.substring(0, url.indexOf("/interview/"))));
            Page page = open(context, url);
            assertEquals(Boolean.TRUE, page.evaluate("() => document.documentElement.scrollWidth"
                    + " <= window.innerWidth"), "no sideways scrolling at phone width");
            Browsers.screenshot(page, "room-lobby-phone");
            assertEquals(List.of(), Browsers.seriousAccessibilityViolations(page), "phone lobby");
            // Keyboard only: tab to the consent box, tick it with Space, tab to the microphone test, press Enter.
            page.focus("#consent");
            page.keyboard().press("Space");
            assertTrue(page.isChecked("#consent"));
            page.keyboard().press("Tab");
            assertEquals("mic-check", page.evaluate("() => document.activeElement.id"));
            page.keyboard().press("Enter");
            page.waitForFunction("() => window.interview.micChecked");
            page.focus("#start");
            page.keyboard().press("Enter");
            page.waitForFunction("() => window.interview.phase === 'call'");
            assertEquals(Boolean.TRUE, page.evaluate("() => document.documentElement.scrollWidth"
                    + " <= window.innerWidth"), "the call fits too");
            page.keyboard().press("Escape");
            page.focus("#end");
            page.keyboard().press("Enter");
            assertTrue(page.isVisible("#confirm-end"));
            page.keyboard().press("Escape");
            assertFalse(page.isVisible("#confirm-end"), "Escape closes the confirmation and keeps going");
            page.click("#end");
            page.click("#confirm-yes");
            page.waitForFunction("() => window.interview.phase === 'done'");
        }
    }

    /** The shared patience (a runner ending on a loaded machine), and a failure that says so if it never comes. */
    private JsonNode waitForReport(String session) throws Exception {
        return Eventually.until("completed", () -> e2e.get("/api/sessions/" + session + "/report",
                e2e.adminToken).body(), report -> "completed".equals(report.path("session").path("status").asText()));
    }
}
