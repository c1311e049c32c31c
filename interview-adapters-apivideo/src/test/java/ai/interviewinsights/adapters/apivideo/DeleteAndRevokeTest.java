package ai.interviewinsights.adapters.apivideo;

import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.ACCESS_TOKEN;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.assertBearer;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.firstToken;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.noContent;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.problem;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import ai.interviewinsights.domain.testing.MutableClock;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deleting a video and revoking an upload token; "already gone" is success for both. */
class DeleteAndRevokeTest {

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private RecordingGateway gateway;

    @BeforeEach
    void connect() {
        gateway = ApiVideoTestSupport.gateway(server, MutableClock.at("2026-11-22T10:00:00Z"));
    }

    @Test
    void deletes_the_video() throws Exception {
        server.enqueue(firstToken());
        server.enqueue(noContent());

        gateway.delete(new VideoId("vi4k0jvEUuaTdRAEjQ4Prklg"));

        take(server);
        RecordedRequest delete = take(server);
        assertEquals("DELETE", delete.getMethod());
        assertEquals("/videos/vi4k0jvEUuaTdRAEjQ4Prklg", delete.getUrl().encodedPath());
        assertBearer(ACCESS_TOKEN, delete);
        assertEquals(0, delete.getBodySize());
    }

    @Test
    void a_video_already_gone_counts_as_deleted() {
        server.enqueue(firstToken());
        server.enqueue(problem(404, "resource-not-found", "The requested resource was not found.", "videoId"));

        gateway.delete(new VideoId("vi4k0jvEUuaTdRAEjQ4Prklg"));

        assertEquals(2, server.getRequestCount());
    }

    @Test
    void a_delete_refused_for_another_reason_is_a_typed_error() {
        server.enqueue(firstToken());
        server.enqueue(problem(403, "forbidden", "You do not have access to this resource.", ""));

        DomainException e = assertThrows(DomainException.class,
                () -> gateway.delete(new VideoId("vi4k0jvEUuaTdRAEjQ4Prklg")));

        assertEquals("apivideo.forbidden", e.code());
        assertEquals(ErrorKind.UPSTREAM_FAILED, e.kind());
    }

    @Test
    void a_delete_is_retried_after_a_server_error_because_it_is_idempotent() throws Exception {
        server.enqueue(firstToken());
        server.enqueue(problem(503, "service-unavailable", "Service unavailable.", ""));
        server.enqueue(noContent());

        gateway.delete(new VideoId("vi4k0jvEUuaTdRAEjQ4Prklg"));

        take(server);
        assertEquals("/videos/vi4k0jvEUuaTdRAEjQ4Prklg", take(server).getUrl().encodedPath());
        assertEquals("/videos/vi4k0jvEUuaTdRAEjQ4Prklg", take(server).getUrl().encodedPath());
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void revokes_the_upload_token() throws Exception {
        server.enqueue(firstToken());
        server.enqueue(noContent());

        gateway.revokeUploadToken(Secret.of("to1tcmSFHeYY5KzyhOqVKMKb"));

        take(server);
        RecordedRequest revoke = take(server);
        assertEquals("DELETE", revoke.getMethod());
        assertEquals("/upload-tokens/to1tcmSFHeYY5KzyhOqVKMKb", revoke.getUrl().encodedPath());
        assertNull(revoke.getUrl().query());
        assertBearer(ACCESS_TOKEN, revoke);
    }

    @Test
    void a_token_already_gone_counts_as_revoked() {
        server.enqueue(firstToken());
        server.enqueue(problem(404, "resource-not-found", "The requested resource was not found.", "token"));

        gateway.revokeUploadToken(Secret.of("to1tcmSFHeYY5KzyhOqVKMKb"));

        assertEquals(2, server.getRequestCount());
    }

    @Test
    void a_token_with_characters_outside_a_path_segment_stays_one_segment() throws Exception {
        server.enqueue(firstToken());
        server.enqueue(noContent());

        gateway.revokeUploadToken(Secret.of("to/../videos?x=1"));

        take(server);
        assertEquals("/upload-tokens/to%2F..%2Fvideos%3Fx=1", take(server).getUrl().encodedPath());
    }
}
