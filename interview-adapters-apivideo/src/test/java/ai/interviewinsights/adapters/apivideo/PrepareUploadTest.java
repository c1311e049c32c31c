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
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.only;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.received;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.routeOf;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.uploadToken;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.videoCreated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.recording.UploadGrant;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import ai.interviewinsights.domain.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * One video and one delegated upload token per interview, asked for at once: a token names no video, and a session's
 * start waits for the slower of the two instead of both in turn (ADR 0020).
 */
class PrepareUploadTest {

    private static final String VIDEO = "vi4k0jvEUuaTdRAEjQ4Prklg";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");

    private ApiVideoTestSupport.Answers answers() {
        return ApiVideoTestSupport.Answers.of(server).enqueue(firstToken());
    }

    @Test
    void creates_a_private_video_with_the_interview_title_tags_and_metadata_and_an_upload_token() throws Exception {
        answers().route("POST /videos", videoCreated(VIDEO))
                .route("POST /upload-tokens", uploadToken("to1tcmSFHeYY5KzyhOqVKMKb", 2700,
                        "2026-11-22T10:00:00+00:00", "2026-11-22T10:45:00+00:00"));

        UploadGrant grant = ApiVideoTestSupport.gateway(server, clock).prepareUpload(request(Duration.ofMinutes(45)));

        assertEquals(VIDEO, grant.videoId().value());
        assertEquals("to1tcmSFHeYY5KzyhOqVKMKb", grant.uploadToken().reveal());
        assertEquals(Instant.parse("2026-11-22T10:45:00Z"), grant.expiresAt());

        List<RecordedRequest> sent = received(server);
        assertEquals(3, sent.size());
        assertEquals("POST /auth/api-key", routeOf(sent.get(0)), "once, before either (AuthenticationTest)");
        RecordedRequest video = only(sent, "POST /videos");
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

        RecordedRequest token = only(sent, "POST /upload-tokens");
        assertBearer(ACCESS_TOKEN, token);
        assertEquals(jsonOf("{\"ttl\": 2700}"), body(token));
    }

    /**
     * Each of the two is answered only once the other has arrived too: asked for in turn, the first would wait for
     * a second that is never sent (and be refused after the wait).
     */
    @Test
    void the_video_and_its_upload_token_are_asked_for_at_once() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                String route = routeOf(request);
                if (route.equals("POST /auth/api-key")) {
                    return firstToken();
                }
                both.countDown();
                if (!both.await(8, TimeUnit.SECONDS)) {
                    return problem(400, "in-turn", "asked for in turn", "");
                }
                return route.equals("POST /videos") ? videoCreated(VIDEO)
                        : uploadToken("to1", 1800, "2026-11-22T10:00:00+00:00", "2026-11-22T10:30:00+00:00");
            }
        });

        UploadGrant grant = ApiVideoTestSupport.gateway(server, clock).prepareUpload(request(Duration.ofMinutes(30)));

        assertEquals(VIDEO, grant.videoId().value());
        assertEquals("to1", grant.uploadToken().reveal());
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void the_upload_token_ttl_is_rounded_up_to_whole_seconds_and_never_zero() throws Exception {
        answers().route("POST /videos", videoCreated("vi1"))
                .route("POST /upload-tokens", uploadToken("to1", 91, "2026-11-22T10:00:00+00:00",
                        "2026-11-22T10:01:31+00:00"));

        ApiVideoTestSupport.gateway(server, clock).prepareUpload(request(Duration.ofMillis(90_001)));

        assertEquals(jsonOf("{\"ttl\": 91}"), body(only(received(server), "POST /upload-tokens")));
        assertEquals(1, ApiVideoRecordingGateway.ttlSeconds(Duration.ofNanos(1)));
        assertThrows(IllegalArgumentException.class, () -> ApiVideoRecordingGateway.ttlSeconds(Duration.ZERO));
    }

    @Test
    void public_videos_when_configured() throws Exception {
        answers().route("POST /videos", videoCreated("vi1"))
                .route("POST /upload-tokens", uploadToken("to1", 1800, "2026-11-22T10:00:00+00:00",
                        "2026-11-22T10:30:00+00:00"));
        RecordingGateway gateway = ApiVideo.recordingGateway(
                ApiVideoTestSupport.config(server).withPrivateVideos(false), clock);

        gateway.prepareUpload(request(Duration.ofMinutes(30)));

        assertEquals(true, body(only(received(server), "POST /videos")).get("public").booleanValue());
    }

    @Test
    void without_expires_at_in_the_answer_the_token_expires_after_the_ttl_asked_for() throws Exception {
        answers().route("POST /videos", videoCreated("vi1"))
                .route("POST /upload-tokens", json(200,
                        "{\"token\": \"to1\", \"ttl\": 1800, \"createdAt\": \"2026-11-22T10:00:00+00:00\"}"));

        UploadGrant grant = ApiVideoTestSupport.gateway(server, clock).prepareUpload(request(Duration.ofMinutes(30)));

        assertEquals(Instant.parse("2026-11-22T10:30:00Z"), grant.expiresAt());
    }

    @Test
    void when_the_upload_token_cannot_be_created_the_empty_video_is_deleted() throws Exception {
        answers().route("POST /videos", videoCreated(VIDEO))
                .route("POST /upload-tokens",
                        problem(400, "invalid-attribute", "This attribute must be a positive integer.", "ttl"))
                .route("DELETE /videos/" + VIDEO, noContent());

        DomainException e = assertThrows(DomainException.class,
                () -> ApiVideoTestSupport.gateway(server, clock).prepareUpload(request(Duration.ofMinutes(30))));

        assertEquals("apivideo.bad_request", e.code());
        assertEquals(ErrorKind.UPSTREAM_FAILED, e.kind());
        assertEquals("api.video refused to create an upload token (HTTP 400): "
                + "This attribute must be a positive integer.; parameter ttl", e.getMessage());
        List<RecordedRequest> sent = received(server);
        assertEquals(4, sent.size());
        assertEquals("DELETE /videos/" + VIDEO, routeOf(sent.get(3)), "the empty video deleted, last");
    }

    @Test
    void when_the_video_cannot_be_created_the_unused_upload_token_is_revoked() throws Exception {
        answers().route("POST /videos", problem(400, "invalid-attribute", "This value is too long.", "title"))
                .route("POST /upload-tokens", uploadToken("to1", 1800, "2026-11-22T10:00:00+00:00",
                        "2026-11-22T10:30:00+00:00"))
                .route("DELETE /upload-tokens/to1", noContent());

        DomainException e = assertThrows(DomainException.class,
                () -> ApiVideoTestSupport.gateway(server, clock).prepareUpload(request(Duration.ofMinutes(30))));

        assertEquals("apivideo.bad_request", e.code());
        assertEquals("api.video refused to create the interview's video (HTTP 400): This value is too long.; "
                + "parameter title", e.getMessage(), "the video's refusal, not the token's");
        List<RecordedRequest> sent = received(server);
        assertEquals(4, sent.size());
        assertEquals("DELETE /upload-tokens/to1", routeOf(sent.get(3)), "the token revoked, last");
        assertBearer(ACCESS_TOKEN, sent.get(3));
    }

    @Test
    void when_neither_can_be_created_the_videos_refusal_is_reported_and_nothing_is_left_to_undo() throws Exception {
        answers().route("POST /videos", problem(403, "forbidden", "Forbidden.", ""))
                .route("POST /upload-tokens", problem(403, "forbidden", "Forbidden.", ""));

        DomainException e = assertThrows(DomainException.class,
                () -> ApiVideoTestSupport.gateway(server, clock).prepareUpload(request(Duration.ofMinutes(30))));

        assertTrue(e.getMessage().startsWith("api.video refused to create the interview's video"), e.getMessage());
        assertEquals(3, received(server).size(), "no delete, no revoke");
    }

    @Test
    void an_answer_without_a_video_id_is_a_bad_response_and_the_token_is_revoked() throws Exception {
        answers().route("POST /videos", json(201, "{\"title\": \"no id\"}"))
                .route("POST /upload-tokens", uploadToken("to1", 1800, "2026-11-22T10:00:00+00:00",
                        "2026-11-22T10:30:00+00:00"))
                .route("DELETE /upload-tokens/to1", noContent());

        DomainException e = assertThrows(DomainException.class,
                () -> ApiVideoTestSupport.gateway(server, clock).prepareUpload(request(Duration.ofMinutes(30))));

        assertEquals("apivideo.bad_response", e.code());
        only(received(server), "DELETE /upload-tokens/to1");
    }
}
