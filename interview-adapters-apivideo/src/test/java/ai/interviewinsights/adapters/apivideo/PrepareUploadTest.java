package ai.interviewinsights.adapters.apivideo;

import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.ACCESS_TOKEN;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.assertBearer;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.body;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.firstToken;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.json;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.jsonOf;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.noContent;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.problem;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.request;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.take;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.uploadToken;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.videoCreated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.recording.UploadGrant;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import ai.interviewinsights.domain.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/** One video and one delegated upload token per interview. */
class PrepareUploadTest {

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");

    @Test
    void creates_a_private_video_with_the_interview_title_tags_and_metadata_then_an_upload_token() throws Exception {
        server.enqueue(firstToken());
        server.enqueue(videoCreated("vi4k0jvEUuaTdRAEjQ4Prklg"));
        server.enqueue(uploadToken("to1tcmSFHeYY5KzyhOqVKMKb", 2700, "2026-11-22T10:00:00+00:00",
                "2026-11-22T10:45:00+00:00"));

        UploadGrant grant = ApiVideoTestSupport.gateway(server, clock).prepareUpload(request(Duration.ofMinutes(45)));

        assertEquals("vi4k0jvEUuaTdRAEjQ4Prklg", grant.videoId().value());
        assertEquals("to1tcmSFHeYY5KzyhOqVKMKb", grant.uploadToken().reveal());
        assertEquals(Instant.parse("2026-11-22T10:45:00Z"), grant.expiresAt());

        take(server); // authentication, asserted in AuthenticationTest
        RecordedRequest video = take(server);
        assertEquals("POST", video.getMethod());
        assertEquals("/videos", video.getUrl().encodedPath());
        assertBearer(ACCESS_TOKEN, video);
        assertEquals("application/json", video.getHeaders().get("Content-Type"));
        assertEquals(jsonOf("""
                {"title": "Backend Engineer - Ada Lovelace",
                 "tags": ["interview-insights", "tenant:11111111-2222-4333-8444-555555555555"],
                 "metadata": [{"key": "tenant_id", "value": "11111111-2222-4333-8444-555555555555"},
                              {"key": "session_id", "value": "66666666-7777-4888-9999-000000000000"}],
                 "public": false,
                 "mp4Support": true}
                """), body(video));

        RecordedRequest token = take(server);
        assertEquals("POST", token.getMethod());
        assertEquals("/upload-tokens", token.getUrl().encodedPath());
        assertBearer(ACCESS_TOKEN, token);
        assertEquals(jsonOf("{\"ttl\": 2700}"), body(token));
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void the_upload_token_ttl_is_rounded_up_to_whole_seconds_and_never_zero() throws Exception {
        server.enqueue(firstToken());
        server.enqueue(videoCreated("vi1"));
        server.enqueue(uploadToken("to1", 91, "2026-11-22T10:00:00+00:00", "2026-11-22T10:01:31+00:00"));

        ApiVideoTestSupport.gateway(server, clock).prepareUpload(request(Duration.ofMillis(90_001)));

        take(server);
        take(server);
        assertEquals(jsonOf("{\"ttl\": 91}"), body(take(server)));
        assertEquals(1, ApiVideoRecordingGateway.ttlSeconds(Duration.ofNanos(1)));
        assertThrows(IllegalArgumentException.class, () -> ApiVideoRecordingGateway.ttlSeconds(Duration.ZERO));
    }

    @Test
    void public_videos_when_configured() throws Exception {
        server.enqueue(firstToken());
        server.enqueue(videoCreated("vi1"));
        server.enqueue(uploadToken("to1", 1800, "2026-11-22T10:00:00+00:00", "2026-11-22T10:30:00+00:00"));
        RecordingGateway gateway = ApiVideo.recordingGateway(
                ApiVideoTestSupport.config(server).withPrivateVideos(false), clock);

        gateway.prepareUpload(request(Duration.ofMinutes(30)));

        take(server);
        assertEquals(true, body(take(server)).get("public").booleanValue());
    }

    @Test
    void without_expires_at_in_the_answer_the_token_expires_after_the_ttl_asked_for() throws Exception {
        server.enqueue(firstToken());
        server.enqueue(videoCreated("vi1"));
        server.enqueue(json(200, "{\"token\": \"to1\", \"ttl\": 1800, \"createdAt\": \"2026-11-22T10:00:00+00:00\"}"));

        UploadGrant grant = ApiVideoTestSupport.gateway(server, clock).prepareUpload(request(Duration.ofMinutes(30)));

        assertEquals(Instant.parse("2026-11-22T10:30:00Z"), grant.expiresAt());
    }

    @Test
    void when_the_upload_token_cannot_be_created_the_empty_video_is_deleted() throws Exception {
        server.enqueue(firstToken());
        server.enqueue(videoCreated("vi4k0jvEUuaTdRAEjQ4Prklg"));
        server.enqueue(problem(400, "invalid-attribute", "This attribute must be a positive integer.", "ttl"));
        server.enqueue(noContent());

        DomainException e = assertThrows(DomainException.class,
                () -> ApiVideoTestSupport.gateway(server, clock).prepareUpload(request(Duration.ofMinutes(30))));

        assertEquals("apivideo.bad_request", e.code());
        assertEquals(ErrorKind.UPSTREAM_FAILED, e.kind());
        assertEquals("api.video refused to create an upload token (HTTP 400): "
                + "This attribute must be a positive integer.; parameter ttl", e.getMessage());
        take(server);
        take(server);
        take(server);
        RecordedRequest cleanup = take(server);
        assertEquals("DELETE", cleanup.getMethod());
        assertEquals("/videos/vi4k0jvEUuaTdRAEjQ4Prklg", cleanup.getUrl().encodedPath());
    }

    @Test
    void an_answer_without_a_video_id_is_a_bad_response() {
        server.enqueue(firstToken());
        server.enqueue(json(201, "{\"title\": \"no id\"}"));

        DomainException e = assertThrows(DomainException.class,
                () -> ApiVideoTestSupport.gateway(server, clock).prepareUpload(request(Duration.ofMinutes(30))));

        assertEquals("apivideo.bad_response", e.code());
        assertEquals(2, server.getRequestCount(), "no token for a video that does not exist");
    }
}
