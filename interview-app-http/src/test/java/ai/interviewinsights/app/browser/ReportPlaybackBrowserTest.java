package ai.interviewinsights.app.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.e2e.E2eApp;
import ai.interviewinsights.app.e2e.FakeVideoCdn;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Click-to-seek on the report, with a recording that really plays: a candidate's interview in the room records the
 * fake camera with MediaRecorder and uploads it to the api.video fake; the fake's delivery host (https, byte ranges,
 * like vod.api.video) serves that very file; the reviewer's report plays it beside the transcript, and clicking an
 * evidence quote, or a line's time, seeks the player to that moment of the interview.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportPlaybackBrowserTest {

    private E2eApp e2e;
    private FakeVideoCdn cdn;
    private Browsers browsers;

    @BeforeAll
    void start() throws Exception {
        AtomicReference<E2eApp> app = new AtomicReference<>();
        cdn = new FakeVideoCdn(videoId -> app.get() == null ? Optional.empty()
                : app.get().apiVideo.uploadedFile(videoId));
        // The pages' media-src allows the delivery host, as it allows api.video's in production.
        e2e = E2eApp.start(Map.of("RECORDING_PART_BYTES", "65536", "RECORDING_MEDIA_ORIGINS", cdn.origin()));
        app.set(e2e);
        e2e.apiVideo.deliverFrom(cdn);
        browsers = new Browsers();
    }

    @AfterAll
    void stop() throws Exception {
        if (browsers != null) {
            browsers.close();
        }
        if (e2e != null) {
            e2e.close();
        }
        cdn.close();
    }

    private static void say(Page page, String item, String previous, String words) {
        page.evaluate("([item, previous, words]) => { const i = window.interview;"
                + " i.onServerEvent({type: 'conversation.item.added', previous_item_id: previous,"
                + "   item: {id: item, type: 'message', role: 'user'}});"
                + " i.onServerEvent({type: 'conversation.item.input_audio_transcription.completed',"
                + "   item_id: item, transcript: words}); }", List.of(item, previous == null ? "" : previous, words));
        page.waitForFunction("item => window.interview.durable.has(item)", item);
    }

    @Test
    void a_quote_and_a_lines_time_seek_the_recording_player_to_that_moment() throws Exception {
        String position = e2e.newPosition("Data Engineer", "Pipelines");
        String candidate = e2e.newCandidate("Mary Jackson");
        String url = e2e.post("/api/invites", e2e.adminToken, Map.of("candidate_id", candidate,
                "position_id", position)).body().path("url").asText();
        e2e.openai.evaluationReply("{\"competencies\":{\"Pipelines\":{\"score\":4,\"rationale\":\"Plans for"
                + " failure.\",\"evidence\":[{\"entry\":\"item_m2\",\"quote\":\"replay the dead letters\"}]}},"
                + "\"recommendation\":\"hire\",\"summary\":\"Reliable.\"}");
        String origin = url.substring(0, url.indexOf("/interview/"));

        String session;
        try (BrowserContext context = browsers.context(origin)) {
            Page room = context.newPage();
            room.navigate(url);
            room.waitForFunction("() => window.interview && window.interview.phase === 'lobby'");
            room.check("#consent");
            room.click("#mic-check");
            room.waitForFunction("() => window.interview.micChecked");
            room.click("#start");
            room.waitForFunction("() => window.interview.answerApplied === true && window.interview.recorder");
            say(room, "item_m1", null, "I run the nightly loads.");
            // Some seconds of interview later (the camera keeps recording), the line the evaluation will quote.
            room.waitForTimeout(6000);
            say(room, "item_m2", "item_m1", "When a load fails we replay the dead letters.");
            room.waitForTimeout(2000);
            session = (String) room.evaluate("() => window.interview.session");
            room.click("#end");
            room.click("#confirm-yes");
            room.waitForFunction("() => window.interview.phase === 'done'"
                    + " && window.interview.recorder.sent.some(p => p.last)",
                    null, new Page.WaitForFunctionOptions().setTimeout(30_000));
        }
        // api.video finishes encoding the upload.
        String videoId = e2e.get("/api/sessions/" + session, e2e.adminToken).body().path("recording")
                .path("video_id").asText();
        assertTrue(e2e.apiVideo.uploadedFile(videoId).isPresent(), "the room's upload was finalised");
        e2e.apiVideo.markPlayable(videoId);
        JsonNode report = awaitEvaluated(session);
        assertEquals(cdn.mp4(videoId), report.path("recording").path("assets").path("mp4").asText(),
                "the report's recording plays from the delivery host");

        // The reviewer: a browser that accepts the fake delivery host's self-signed certificate, nothing else.
        try (BrowserContext reviewer = browsers.browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(1100, 900).setIgnoreHTTPSErrors(true))) {
            Page page = reviewer.newPage();
            List<String> errors = Browsers.watchErrors(page);
            page.navigate(origin + "/");
            page.waitForSelector("#view-signin:not([hidden])");
            page.fill("#token", e2e.adminToken);
            page.click("#token-form button[type=submit]");
            page.waitForSelector("#view-sessions:not([hidden])");
            page.navigate(origin + "/#report/" + session);
            page.waitForSelector("article.score[data-competency=Pipelines] button.quote");
            page.waitForFunction("() => { const v = document.querySelector('#recording-player video');"
                    + " return v && v.readyState >= 1; }", null, new Page.WaitForFunctionOptions().setTimeout(30_000));

            int quoted = Integer.parseInt(page.getAttribute("#entry-item_m2", "data-seconds"));
            int first = Integer.parseInt(page.getAttribute("#entry-item_m1", "data-seconds"));
            assertTrue(quoted >= first + 5, "the quoted line came seconds later: " + first + " then " + quoted);

            page.locator("article.score[data-competency=Pipelines] button.quote").click();
            assertEquals(Boolean.TRUE, page.evaluate("() => document.getElementById('entry-item_m2')"
                    + ".classList.contains('highlight')"));
            page.waitForFunction("s => { const v = document.querySelector('#recording-player video');"
                    + " return !v.seeking && Math.abs(v.currentTime - s) < 0.5; }", quoted,
                    new Page.WaitForFunctionOptions().setTimeout(20_000));

            // A line's time button seeks too, and plays from there.
            Locator firstLine = page.locator("#entry-item_m1 button.seek");
            assertTrue(firstLine.isEnabled(), "with a playable recording the lines' times are buttons");
            firstLine.click();
            page.waitForFunction("s => { const v = document.querySelector('#recording-player video');"
                    + " return !v.seeking && v.currentTime >= s && v.currentTime < s + 3 && !v.paused; }", first,
                    new Page.WaitForFunctionOptions().setTimeout(20_000));
            assertTrue(cdn.ranges.size() >= 1, "the player fetched the file from the delivery host");
            assertEquals(List.of(), errors, "no errors, no Content-Security-Policy violation");
            assertEquals(List.of(), Browsers.seriousAccessibilityViolations(page));
            Browsers.screenshot(page, "console-report-playback");
        }
    }

    private JsonNode awaitEvaluated(String session) throws Exception {
        JsonNode report = null;
        for (int i = 0; i < 300; i++) {
            report = e2e.get("/api/sessions/" + session + "/report", e2e.adminToken).body();
            if ("succeeded".equals(report.path("evaluation").path("status").asText())) {
                return report;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("never evaluated: " + report);
    }
}
