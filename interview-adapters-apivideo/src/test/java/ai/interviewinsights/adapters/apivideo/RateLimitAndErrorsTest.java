package ai.interviewinsights.adapters.apivideo;

import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.firstToken;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.json;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.noContent;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.only;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.received;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.routeOf;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.problem;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.request;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.take;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.uploadToken;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.videoCreated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.recording.RecordingStatus;
import ai.interviewinsights.domain.model.recording.UploadGrant;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import ai.interviewinsights.domain.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** 429 and X-RateLimit-Retry-After, server errors, network failures, and api.video's error bodies. */
class RateLimitAndErrorsTest {

    private static final String VIDEO = "vi4k0jvEUuaTdRAEjQ4Prklg";
    private static final String UNCHANGED_STATUS = "{\"ingest\": {\"status\": \"uploading\"}}";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private RecordingGateway gateway;

    @BeforeEach
    void connect() {
        gateway = ApiVideoTestSupport.gateway(server, MutableClock.at("2026-11-22T10:00:00Z"));
    }

    private static MockResponse tooManyRequests(String retryAfterSeconds) {
        MockResponse.Builder builder = new MockResponse.Builder().code(429)
                .addHeader("Content-Type", "application/json")
                .addHeader("X-RateLimit-Limit", "40")
                .addHeader("X-RateLimit-Remaining", "0")
                .body("{\"type\": \"https://docs.api.video/reference/too-many-requests\", "
                        + "\"title\": \"Too many requests.\", \"status\": 429}");
        if (retryAfterSeconds != null) {
            builder.addHeader("X-RateLimit-Retry-After", retryAfterSeconds);
        }
        return builder.build();
    }

    /** api.video's answers for a grant whose upload token, asked for beside the video, is to be revoked. */
    private ApiVideoTestSupport.Answers withTheTokenToRevoke() {
        return ApiVideoTestSupport.Answers.of(server).enqueue(firstToken())
                .route("POST /upload-tokens", uploadToken("to1", 1800, "2026-11-22T10:00:00+00:00",
                        "2026-11-22T10:30:00+00:00"))
                .route("DELETE /upload-tokens/to1", noContent());
    }

    @Test
    void a_429_is_retried_after_the_wait_api_video_asks_for_then_succeeds() throws Exception {
        server.enqueue(firstToken());
        server.enqueue(tooManyRequests("1"));
        server.enqueue(json(200, UNCHANGED_STATUS));

        RecordingStatus status;
        try (LogCapture logs = new LogCapture()) {
            status = gateway.status(new VideoId(VIDEO));
            assertTrue(logs.contains("api.video answered HTTP 429; retry 1 in 1000 ms"), () -> String.join("\n",
                    logs.lines()));
        }

        assertEquals(RecordingStatus.Phase.UPLOADING, status.phase());
        take(server);
        assertEquals("/videos/" + VIDEO + "/status", take(server).getUrl().encodedPath());
        assertEquals("/videos/" + VIDEO + "/status", take(server).getUrl().encodedPath());
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void a_429_on_a_post_is_retried_too_since_api_video_did_nothing() throws Exception {
        ApiVideoTestSupport.Answers.of(server).enqueue(firstToken())
                .route("POST /videos", tooManyRequests(null), videoCreated(VIDEO)) // no header: configured backoff
                .route("POST /upload-tokens", uploadToken("to1", 1800, "2026-11-22T10:00:00+00:00",
                        "2026-11-22T10:30:00+00:00"));

        UploadGrant grant = gateway.prepareUpload(request(Duration.ofMinutes(30)));

        assertEquals(VIDEO, grant.videoId().value());
        List<RecordedRequest> sent = received(server);
        assertEquals(2, sent.stream().filter(r -> routeOf(r).equals("POST /videos")).count());
        assertEquals(4, sent.size());
    }

    @Test
    void a_429_asking_for_a_longer_wait_than_configured_fails_at_once_and_retryable() {
        server.enqueue(firstToken());
        server.enqueue(tooManyRequests("60"));

        DomainException e = assertThrows(DomainException.class, () -> gateway.status(new VideoId(VIDEO)));

        assertEquals("apivideo.rate_limited", e.code());
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("wait 60 s"), e.getMessage());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void repeated_429s_give_up_after_the_configured_retries() {
        server.enqueue(firstToken());
        for (int i = 0; i < 3; i++) {
            server.enqueue(tooManyRequests("0"));
        }

        DomainException e = assertThrows(DomainException.class, () -> gateway.status(new VideoId(VIDEO)));

        assertEquals("apivideo.rate_limited", e.code());
        assertTrue(e.retryable());
        assertEquals(1 + 3, server.getRequestCount(), "one try and two retries");
    }

    @Test
    void a_server_error_on_a_post_is_not_repeated_and_is_retryable_later() throws Exception {
        withTheTokenToRevoke().route("POST /videos", problem(500, "internal-error", "Internal server error.", ""));

        DomainException e = assertThrows(DomainException.class,
                () -> gateway.prepareUpload(request(Duration.ofMinutes(30))));

        assertEquals("apivideo.unavailable", e.code());
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertTrue(e.retryable());
        List<RecordedRequest> sent = received(server);
        only(sent, "POST /videos"); // one that may have worked is not sent twice
        only(sent, "DELETE /upload-tokens/to1");
    }

    @Test
    void persistent_server_errors_on_a_get_are_retried_then_reported() {
        server.enqueue(firstToken());
        for (int i = 0; i < 3; i++) {
            server.enqueue(problem(502, "bad-gateway", "Bad gateway.", ""));
        }

        DomainException e = assertThrows(DomainException.class, () -> gateway.status(new VideoId(VIDEO)));

        assertEquals("apivideo.unavailable", e.code());
        assertEquals(4, server.getRequestCount());
    }

    @Test
    void a_network_failure_is_retried_for_a_get_and_reported_as_unreachable() {
        server.enqueue(firstToken());
        for (int i = 0; i < 10; i++) { // OkHttp itself also retries a request that failed on a pooled connection
            server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
        }

        DomainException e = assertThrows(DomainException.class, () -> gateway.status(new VideoId(VIDEO)));

        assertEquals("apivideo.unreachable", e.code(), e.getMessage());
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertTrue(e.retryable());
        assertEquals(null, e.getCause(), "the transport exception may quote the URL: not chained");
        assertTrue(server.getRequestCount() >= 1 + 3, "the status call was tried three times");
    }

    @Test
    void a_bad_request_names_api_video_title_parameter_and_problems() {
        withTheTokenToRevoke().route("POST /videos", json(400, """
                {"type": "https://docs.api.video/reference/invalid-attribute", "title": "An attribute is invalid.",
                 "name": "metadata", "status": 400,
                 "problems": [{"type": "https://docs.api.video/reference/invalid-attribute",
                               "title": "This value should be of type string.", "name": "metadata[0][value]"}]}
                """));

        DomainException e = assertThrows(DomainException.class,
                () -> gateway.prepareUpload(request(Duration.ofMinutes(30))));

        assertEquals("apivideo.bad_request", e.code());
        assertEquals(ErrorKind.UPSTREAM_FAILED, e.kind());
        assertEquals("api.video refused to create the interview's video (HTTP 400): An attribute is invalid.; "
                + "parameter metadata; This value should be of type string. (metadata[0][value])", e.getMessage());
    }

    @Test
    void an_error_without_a_json_body_still_maps_by_status() {
        withTheTokenToRevoke().route("POST /videos", new MockResponse.Builder().code(409).body("conflict").build());

        DomainException e = assertThrows(DomainException.class,
                () -> gateway.prepareUpload(request(Duration.ofMinutes(30))));

        assertEquals("apivideo.conflict", e.code());
        assertEquals(ErrorKind.CONFLICT, e.kind());
        assertEquals("api.video refused to create the interview's video (HTTP 409)", e.getMessage());
    }
}
