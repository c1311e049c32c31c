package ai.interviewinsights.app.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.e2e.E2eApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The room records the fake camera with MediaRecorder and uploads it to api.video's delegated-upload endpoint
 * (the e2e fake, which checks the token, the multipart body and each Content-Range, and joins the parts when the
 * last one arrives). A part that fails is sent again; the reassembled file plays in Chromium.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VideoRecordingBrowserTest {

    private E2eApp e2e;
    private Browsers browsers;

    @BeforeAll
    void start() throws Exception {
        // Small parts so a few seconds of video make several (api.video's own minimum is 5 MiB).
        e2e = E2eApp.start(Map.of("RECORDING_PART_BYTES", "65536"));
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
    void the_camera_is_uploaded_in_parts_with_content_range_a_failed_part_is_resent_and_the_file_plays()
            throws Exception {
        String position = e2e.newPosition("Designer", "Craft");
        String candidate = e2e.newCandidate("Grace Hopper");
        JsonNode invite = e2e.post("/api/invites", e2e.adminToken, Map.of("candidate_id", candidate,
                "position_id", position)).body();
        String url = invite.path("url").asText();
        int rangesBefore = e2e.apiVideo.contentRanges().size(); // the other test's uploads come first, or after
        try (BrowserContext context = browsers.context(url.substring(0, url.indexOf("/interview/")))) {
            Page page = context.newPage();
            List<String> posted = new java.util.concurrent.CopyOnWriteArrayList<>();
            page.onRequest(request -> {
                if (request.method().equals("POST")) {
                    posted.add(java.net.URI.create(request.url()).getPath());
                }
            });
            page.navigate(url);
            consentAndStartRecording(page);
            e2e.apiVideo.failNextUploads(1);
            page.waitForFunction("() => window.interview.recorder.sent.some(p => p.attempts > 1)",
                    null, new Page.WaitForFunctionOptions().setTimeout(30_000));
            page.click("#end");
            page.click("#confirm-yes");
            page.waitForFunction("() => window.interview.phase === 'done'"
                    + " && window.interview.recorder.sent.some(p => p.last)",
                    null, new Page.WaitForFunctionOptions().setTimeout(30_000));
            assertTrue(page.textContent("#done-text").contains("video was uploaded"), page.textContent("#done-text"));

            String videoId = (String) page.evaluate("() => window.interview.recorder.videoId");
            // The room told the runner which video it uploaded to in end_session; the runner forwarded it and the
            // session keeps the report beside the video its upload token was issued for.
            String sessionId = (String) page.evaluate("() => window.interview.session");
            JsonNode recording = e2e.get("/api/sessions/" + sessionId, e2e.adminToken).body().path("recording");
            assertEquals(videoId, recording.path("video_id").asText(), recording.toString());
            assertTrue(recording.path("reported_at").isTextual(), "the end_session report arrived: " + recording);
            // The start waited for no video provider: the room asked for its grant once joined (ADR 0028).
            assertTrue(posted.contains("/api/sessions/" + sessionId + "/recording-grant"), posted.toString());
            List<String> all = e2e.apiVideo.contentRanges();
            List<String> ranges = all.subList(rangesBefore, all.size());
            int parts = ((Number) page.evaluate("() => window.interview.recorder.sent.length")).intValue();
            assertTrue(parts >= 3, "several parts: " + ranges);
            List<String> accepted = ranges.stream().distinct().toList();
            for (int n = 1; n < parts; n++) {
                assertEquals("part " + n + "/*", accepted.get(n - 1), ranges.toString());
            }
            assertEquals("part " + parts + "/" + parts, accepted.get(parts - 1), "the last part finalises");
            assertEquals(parts + 1, ranges.size(), "exactly one part was sent twice: " + ranges);

            byte[] file = e2e.apiVideo.uploadedFile(videoId).orElseThrow();
            long sent = ((Number) page.evaluate("() => window.interview.recorder.sent"
                    + ".reduce((sum, p) => sum + p.bytes, 0)")).longValue();
            assertEquals(sent, file.length);
            assertEquals(0x1A, file[0] & 0xFF, "an EBML (WebM) header");
            assertEquals(0x45, file[1] & 0xFF);

            // The reassembled file plays: Chromium reads its metadata and a frame of the test pattern.
            Page player = context.newPage();
            Object width = player.evaluate("async b64 => { const bytes = Uint8Array.from(atob(b64), c =>"
                    + " c.charCodeAt(0)); const video = document.createElement('video'); video.muted = true;"
                    + " video.src = URL.createObjectURL(new Blob([bytes], {type: 'video/webm'}));"
                    + " await new Promise((ok, fail) => { video.onloadeddata = ok; video.onerror = () =>"
                    + "   fail(new Error('not playable: ' + (video.error && video.error.message))); });"
                    + " return video.videoWidth; }", Base64.getEncoder().encodeToString(file));
            assertTrue(((Number) width).intValue() > 0, "a playable video, width " + width);
        }
    }

    /** From the lobby: consent, the microphone's check, Start; until the recorder has sent its first part. */
    private static void consentAndStartRecording(Page page) {
        page.waitForFunction("() => window.interview && window.interview.phase === 'lobby'");
        page.check("#consent");
        page.click("#mic-check");
        page.waitForFunction("() => window.interview.micChecked");
        page.click("#start");
        page.waitForFunction("() => window.interview.recorder && window.interview.recorder.sent.length >= 1",
                null, new Page.WaitForFunctionOptions().setTimeout(30_000));
    }

    /**
     * The staff flow: the console starts with the grant after READY (as admin.js does) and hands the reply to the
     * room; the room's lobby tells of the recording to come, the candidate's consent covers it, and the room asks
     * for its grant and records into that video.
     */
    @Test
    void the_staff_room_asks_for_its_grant_after_ready_and_records_into_that_video() throws Exception {
        String position = e2e.newPosition("Analyst", "Rigour");
        String candidate = e2e.newCandidate("Katherine Johnson");
        E2eApp.Reply started = e2e.post("/api/sessions", e2e.adminToken, Map.of("candidate_id", candidate,
                "position_id", position, "recording_grant", "after_ready"));
        assertEquals(201, started.status(), started.raw());
        String session = started.body().path("session_id").asText();
        assertEquals("/api/sessions/" + session + "/recording-grant",
                started.body().path("recording").path("grant_url").asText(), started.raw());
        String origin = e2e.url("");
        try (BrowserContext context = browsers.context(origin)) {
            String quotedRoom = ai.interviewinsights.app.web.Json.mapper().writeValueAsString(started.body()
                    .toString());
            String quotedToken = ai.interviewinsights.app.web.Json.mapper().writeValueAsString(e2e.adminToken);
            context.addInitScript("if (!sessionStorage.getItem('ii.room')) {"
                    + " sessionStorage.setItem('ii.staff-token', " + quotedToken + ");"
                    + " sessionStorage.setItem('ii.room', " + quotedRoom + "); }");
            Page page = context.newPage();
            page.navigate(origin + "/room");
            consentAndStartRecording(page);
            page.click("#end");
            page.click("#confirm-yes");
            page.waitForFunction("() => window.interview.phase === 'done'"
                    + " && window.interview.recorder.sent.some(p => p.last)",
                    null, new Page.WaitForFunctionOptions().setTimeout(30_000));

            String videoId = (String) page.evaluate("() => window.interview.recorder.videoId");
            JsonNode recording = e2e.get("/api/sessions/" + session, e2e.adminToken).body().path("recording");
            assertEquals(videoId, recording.path("video_id").asText(), recording.toString());
            assertTrue(e2e.apiVideo.uploadedFile(videoId).isPresent(), "the recording reached the granted video");
            JsonNode consent = e2e.get("/api/sessions/" + session + "/consent", e2e.adminToken).body();
            assertTrue(consent.path("recording").asBoolean(), "the candidate agreed to the recording: " + consent);
            assertEquals(List.of(), page.evaluate("() => window.interview.errors"));
        }
    }
}
