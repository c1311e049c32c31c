package ai.interviewinsights.adapters.apivideo;

import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.ACCESS_TOKEN;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.REFRESH_TOKEN;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.accessToken;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.assertApiKeyAuthentication;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.assertBearer;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.body;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.firstToken;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.jsonOf;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.noContent;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.problem;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import ai.interviewinsights.domain.testing.MutableClock;
import java.time.Duration;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/** The bearer token: obtained with the API key, reused, renewed a minute before expiry, and once more after a 401. */
class AuthenticationTest {

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");

    private RecordingGateway gateway() {
        return ApiVideoTestSupport.gateway(server, clock);
    }

    @Test
    void the_first_call_obtains_a_token_with_the_api_key_and_sends_it_as_bearer() throws Exception {
        server.enqueue(firstToken());
        server.enqueue(noContent());

        gateway().delete(new VideoId("vi4k0jvEUuaTdRAEjQ4Prklg"));

        assertApiKeyAuthentication(take(server));
        RecordedRequest delete = take(server);
        assertEquals("DELETE", delete.getMethod());
        assertEquals("/videos/vi4k0jvEUuaTdRAEjQ4Prklg", delete.getUrl().encodedPath());
        assertBearer(ACCESS_TOKEN, delete);
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void the_token_is_reused_while_it_has_more_than_a_minute_left() throws Exception {
        RecordingGateway gateway = gateway();
        server.enqueue(firstToken());
        server.enqueue(noContent());
        server.enqueue(noContent());

        gateway.delete(new VideoId("vi1"));
        clock.advance(Duration.ofSeconds(3600 - 61));
        gateway.delete(new VideoId("vi2"));

        assertApiKeyAuthentication(take(server));
        assertBearer(ACCESS_TOKEN, take(server));
        RecordedRequest second = take(server);
        assertEquals("/videos/vi2", second.getUrl().encodedPath());
        assertBearer(ACCESS_TOKEN, second);
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void the_token_is_renewed_with_the_refresh_token_a_minute_before_it_expires() throws Exception {
        RecordingGateway gateway = gateway();
        server.enqueue(firstToken());
        server.enqueue(noContent());
        server.enqueue(accessToken("eyJ.access.second", "def502_refresh_second", 3600));
        server.enqueue(noContent());

        gateway.delete(new VideoId("vi1"));
        clock.advance(Duration.ofSeconds(3600 - 60));
        gateway.delete(new VideoId("vi2"));

        take(server);
        take(server);
        RecordedRequest refresh = take(server);
        assertEquals("POST", refresh.getMethod());
        assertEquals("/auth/refresh", refresh.getUrl().encodedPath());
        assertEquals(null, refresh.getHeaders().get("Authorization"));
        assertEquals(jsonOf("{\"refreshToken\": \"" + REFRESH_TOKEN + "\"}"), body(refresh));
        assertBearer("eyJ.access.second", take(server));
    }

    @Test
    void a_refused_refresh_token_falls_back_to_the_api_key() throws Exception {
        RecordingGateway gateway = gateway();
        server.enqueue(firstToken());
        server.enqueue(noContent());
        server.enqueue(problem(400, "authentication-invalid-user-credentials", "The user credentials were incorrect.",
                ""));
        server.enqueue(accessToken("eyJ.access.second", "def502_refresh_second", 3600));
        server.enqueue(noContent());

        gateway.delete(new VideoId("vi1"));
        clock.advance(Duration.ofHours(2));
        gateway.delete(new VideoId("vi2"));

        take(server);
        take(server);
        assertEquals("/auth/refresh", take(server).getUrl().encodedPath());
        assertApiKeyAuthentication(take(server));
        assertBearer("eyJ.access.second", take(server));
    }

    @Test
    void after_a_401_the_token_is_renewed_with_the_api_key_and_the_call_sent_once_more() throws Exception {
        RecordingGateway gateway = gateway();
        server.enqueue(firstToken());
        server.enqueue(problem(401, "authentication-required", "Unauthorized request.", ""));
        server.enqueue(accessToken("eyJ.access.second", "def502_refresh_second", 3600));
        server.enqueue(noContent());

        gateway.delete(new VideoId("vi1"));

        assertApiKeyAuthentication(take(server));
        assertBearer(ACCESS_TOKEN, take(server));
        assertApiKeyAuthentication(take(server));
        RecordedRequest retried = take(server);
        assertEquals("/videos/vi1", retried.getUrl().encodedPath());
        assertBearer("eyJ.access.second", retried);
        assertEquals(4, server.getRequestCount());
    }

    @Test
    void a_second_401_gives_up_with_a_typed_error() throws Exception {
        server.enqueue(firstToken());
        server.enqueue(problem(401, "authentication-required", "Unauthorized request.", ""));
        server.enqueue(accessToken("eyJ.access.second", "def502_refresh_second", 3600));
        server.enqueue(problem(401, "authentication-required", "Unauthorized request.", ""));

        DomainException e = assertThrows(DomainException.class, () -> gateway().delete(new VideoId("vi1")));

        assertEquals("apivideo.unauthorized", e.code());
        assertEquals(ErrorKind.UPSTREAM_FAILED, e.kind());
        assertFalse(e.retryable());
        assertEquals(4, server.getRequestCount(), "one renewal and one more try, not a loop");
    }

    @Test
    void after_giving_up_the_next_call_starts_again_from_the_api_key() throws Exception {
        RecordingGateway gateway = gateway();
        server.enqueue(firstToken());
        server.enqueue(problem(401, "authentication-required", "Unauthorized request.", ""));
        server.enqueue(accessToken("eyJ.access.second", "def502_refresh_second", 3600));
        server.enqueue(problem(401, "authentication-required", "Unauthorized request.", ""));
        server.enqueue(accessToken("eyJ.access.third", "def502_refresh_third", 3600));
        server.enqueue(noContent());

        assertThrows(DomainException.class, () -> gateway.delete(new VideoId("vi1")));
        gateway.delete(new VideoId("vi1"));

        for (int i = 0; i < 4; i++) {
            take(server);
        }
        assertApiKeyAuthentication(take(server));
        assertBearer("eyJ.access.third", take(server));
    }

    @Test
    void a_wrong_api_key_is_a_typed_error() throws Exception {
        server.enqueue(problem(400, "authentication-invalid-user-credentials", "The user credentials were incorrect.",
                ""));

        DomainException e = assertThrows(DomainException.class, () -> gateway().status(new VideoId("vi1")));

        assertEquals("apivideo.unauthorized", e.code());
        assertApiKeyAuthentication(take(server));
        assertEquals(1, server.getRequestCount());
    }
}
