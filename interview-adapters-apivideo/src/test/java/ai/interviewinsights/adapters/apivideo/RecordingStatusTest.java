package ai.interviewinsights.adapters.apivideo;

import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.ACCESS_TOKEN;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.assertBearer;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.firstToken;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.json;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.problem;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.recording.RecordingStatus;
import ai.interviewinsights.domain.model.recording.RecordingStatus.Phase;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.testing.MutableClock;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code GET /videos/{id}/status} to a phase, and the assets once playable. */
class RecordingStatusTest {

    private static final String VIDEO = "vi4k0jvEUuaTdRAEjQ4Prklg";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");

    static Stream<Arguments> statuses() {
        return Stream.of(
                Arguments.of("a video nobody uploaded to yet", "{}", Phase.UPLOADING),
                Arguments.of("ingest and encoding empty", "{\"ingest\": null, \"encoding\": {\"playable\": false, "
                        + "\"qualities\": []}}", Phase.UPLOADING),
                Arguments.of("the recorder is sending chunks", """
                        {"ingest": {"status": "uploading", "filesize": null, "receivedBytes": [
                          {"from": 0, "to": 5242879, "total": null}]},
                         "encoding": {"playable": false, "qualities": [], "metadata": {}}}
                        """, Phase.UPLOADING),
                Arguments.of("uploaded, renditions waiting", """
                        {"ingest": {"status": "uploaded", "filesize": 273579401},
                         "encoding": {"playable": false, "qualities": [
                           {"type": "hls", "quality": "240p", "status": "waiting"},
                           {"type": "mp4", "quality": "720p", "status": "waiting"}]}}
                        """, Phase.PROCESSING),
                Arguments.of("ingesting", "{\"ingest\": {\"status\": \"ingesting\"}}", Phase.PROCESSING),
                Arguments.of("ingested, encoding", """
                        {"ingest": {"status": "ingested"},
                         "encoding": {"playable": false, "qualities": [
                           {"type": "hls", "quality": "240p", "status": "encoding"}]}}
                        """, Phase.PROCESSING),
                Arguments.of("one rendition failed, another still encoding", """
                        {"ingest": {"status": "uploaded"},
                         "encoding": {"playable": false, "qualities": [
                           {"type": "mp4", "quality": "720p", "status": "failed"},
                           {"type": "hls", "quality": "240p", "status": "encoding"}]}}
                        """, Phase.PROCESSING),
                Arguments.of("every rendition failed", """
                        {"ingest": {"status": "uploaded"},
                         "encoding": {"playable": false, "qualities": [
                           {"type": "mp4", "quality": "720p", "status": "failed"},
                           {"type": "hls", "quality": "240p", "status": "failed"}]}}
                        """, Phase.FAILED));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("statuses")
    void maps_the_status_answer_to_a_phase(String situation, String statusJson, Phase expected) throws Exception {
        server.enqueue(firstToken());
        server.enqueue(json(200, statusJson));

        RecordingStatus status = ApiVideoTestSupport.gateway(server, clock).status(new VideoId(VIDEO));

        assertEquals(new RecordingStatus(new VideoId(VIDEO), expected, Map.of()), status);
        take(server);
        RecordedRequest get = take(server);
        assertEquals("GET", get.getMethod());
        assertEquals("/videos/" + VIDEO + "/status", get.getUrl().encodedPath());
        assertBearer(ACCESS_TOKEN, get);
        assertEquals(2, server.getRequestCount(), "no asset lookup before the video plays");
    }

    @Test
    void a_playable_video_comes_with_its_assets() throws Exception {
        server.enqueue(firstToken());
        server.enqueue(json(200, """
                {"ingest": {"status": "uploaded"},
                 "encoding": {"playable": true, "qualities": [
                   {"type": "hls", "quality": "240p", "status": "encoded"},
                   {"type": "mp4", "quality": "720p", "status": "failed"},
                   {"type": "hls", "quality": "720p", "status": "encoding"}],
                  "metadata": {"duration": 1712}}}
                """));
        server.enqueue(json(200, """
                {"videoId": "%1$s", "title": "Backend Engineer - Ada Lovelace", "public": false,
                 "assets": {
                   "iframe": "<iframe src=\\"https://embed.api.video/vod/%1$s?token=abc\\"></iframe>",
                   "player": "https://embed.api.video/vod/%1$s?token=831a9bd9",
                   "hls": "https://vod.api.video/vod/%1$s/token/831a9bd9/hls/manifest.m3u8",
                   "thumbnail": "https://vod.api.video/vod/%1$s/token/831a9bd9/thumbnail.jpg",
                   "mp4": "https://vod.api.video/vod/%1$s/token/831a9bd9/mp4/source.mp4"}}
                """.formatted(VIDEO)));

        RecordingStatus status = ApiVideoTestSupport.gateway(server, clock).status(new VideoId(VIDEO));

        assertEquals(Phase.PLAYABLE, status.phase());
        assertEquals(Map.of(
                "player", URI.create("https://embed.api.video/vod/" + VIDEO + "?token=831a9bd9"),
                "hls", URI.create("https://vod.api.video/vod/" + VIDEO + "/token/831a9bd9/hls/manifest.m3u8"),
                "thumbnail", URI.create("https://vod.api.video/vod/" + VIDEO + "/token/831a9bd9/thumbnail.jpg"),
                "mp4", URI.create("https://vod.api.video/vod/" + VIDEO + "/token/831a9bd9/mp4/source.mp4")),
                status.assets());
        assertEquals(Optional.of(URI.create("https://vod.api.video/vod/" + VIDEO + "/token/831a9bd9/mp4/source.mp4")),
                status.playbackUrl(), "the MP4 is what a report links to");
        take(server);
        assertEquals("/videos/" + VIDEO + "/status", take(server).getUrl().encodedPath());
        RecordedRequest details = take(server);
        assertEquals("GET", details.getMethod());
        assertEquals("/videos/" + VIDEO, details.getUrl().encodedPath());
        assertBearer(ACCESS_TOKEN, details);
    }

    @Test
    void assets_that_are_not_https_urls_are_left_out() {
        server.enqueue(firstToken());
        server.enqueue(json(200, "{\"ingest\": {\"status\": \"uploaded\"}, \"encoding\": {\"playable\": true}}"));
        server.enqueue(json(200, """
                {"videoId": "%1$s", "assets": {"player": "http://embed.api.video/vod/%1$s", "hls": "not a url",
                 "mp4": "https://vod.api.video/vod/%1$s/mp4/source.mp4"}}
                """.formatted(VIDEO)));

        RecordingStatus status = ApiVideoTestSupport.gateway(server, clock).status(new VideoId(VIDEO));

        assertEquals(Map.of("mp4", URI.create("https://vod.api.video/vod/" + VIDEO + "/mp4/source.mp4")),
                status.assets());
    }

    @Test
    void the_playback_url_prefers_the_mp4_then_the_player_then_hls() {
        URI mp4 = URI.create("https://vod.api.video/v/mp4/source.mp4");
        URI player = URI.create("https://embed.api.video/vod/v");
        URI hls = URI.create("https://vod.api.video/v/hls/manifest.m3u8");
        URI thumbnail = URI.create("https://vod.api.video/v/thumbnail.jpg");

        assertEquals(mp4, ApiVideoRecordingGateway.playback(Map.of("hls", hls, "player", player, "mp4", mp4)));
        assertEquals(player, ApiVideoRecordingGateway.playback(Map.of("hls", hls, "player", player)));
        assertEquals(hls, ApiVideoRecordingGateway.playback(Map.of("hls", hls, "thumbnail", thumbnail)));
        assertEquals(null, ApiVideoRecordingGateway.playback(Map.of("thumbnail", thumbnail)));
    }

    @Test
    void a_missing_video_is_recording_not_found() throws Exception {
        server.enqueue(firstToken());
        server.enqueue(problem(404, "resource-not-found", "The requested resource was not found.", "videoId"));

        DomainException e = assertThrows(DomainException.class,
                () -> ApiVideoTestSupport.gateway(server, clock).status(new VideoId("vi0000000000000000000000")));

        assertEquals(ErrorKind.NOT_FOUND, e.kind());
        assertEquals("recording.not_found", e.code());
        take(server);
        assertEquals("/videos/vi0000000000000000000000/status", take(server).getUrl().encodedPath());
    }

    @Test
    void a_video_deleted_between_status_and_details_is_recording_not_found() {
        server.enqueue(firstToken());
        server.enqueue(json(200, "{\"ingest\": {\"status\": \"uploaded\"}, \"encoding\": {\"playable\": true}}"));
        server.enqueue(problem(404, "resource-not-found", "The requested resource was not found.", "videoId"));

        DomainException e = assertThrows(DomainException.class,
                () -> ApiVideoTestSupport.gateway(server, clock).status(new VideoId(VIDEO)));

        assertEquals("recording.not_found", e.code());
    }

    @Test
    void an_id_that_cannot_be_an_api_video_id_never_reaches_api_video() {
        // A video id is parsed where it comes in (VideoId), so a path-escaping one cannot even be asked about.
        DomainException e = assertThrows(DomainException.class,
                () -> ApiVideoTestSupport.gateway(server, clock).status(new VideoId("../upload-tokens")));

        assertEquals("invalid.video_id", e.code());
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void a_status_body_that_is_not_json_is_a_bad_response() {
        server.enqueue(firstToken());
        server.enqueue(json(200, "<html>maintenance</html>"));

        DomainException e = assertThrows(DomainException.class,
                () -> ApiVideoTestSupport.gateway(server, clock).status(new VideoId(VIDEO)));

        assertEquals("apivideo.bad_response", e.code());
        assertEquals(ErrorKind.UPSTREAM_FAILED, e.kind());
    }
}
