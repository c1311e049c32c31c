package ai.interviewinsights.adapters.apivideo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.recording.RecordingRequest;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** Scripts api.video's answers for MockWebServer tests and reads back what the adapter sent. */
final class ApiVideoTestSupport {

    static final String API_KEY = "av_key_TEST_4f2a9c";
    static final String ACCESS_TOKEN = "eyJ.access.first";
    static final String REFRESH_TOKEN = "def502_refresh_first";
    static final TenantId TENANT = TenantId.of("11111111-2222-4333-8444-555555555555");
    static final SessionId SESSION = SessionId.of("66666666-7777-4888-9999-000000000000");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiVideoTestSupport() {
    }

    /** A config for a test server: fast retries so that tests do not wait for backoff. */
    static ApiVideoConfig config(MockWebServer server) {
        return ApiVideoConfig.production(Secret.of(API_KEY))
                .withBaseUrl(URI.create(server.url("/").toString().replaceAll("/$", "")))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
                .withRetries(2, Duration.ofMillis(10), Duration.ofSeconds(3));
    }

    static RecordingGateway gateway(MockWebServer server, Clock clock) {
        return ApiVideo.recordingGateway(config(server), clock);
    }

    static RecordingRequest request(Duration lifetime) {
        return new RecordingRequest(TENANT, SESSION, "Backend Engineer - Ada Lovelace", lifetime);
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    static MockResponse noContent() {
        return new MockResponse.Builder().code(204).build();
    }

    static MockResponse accessToken(String access, String refresh, long expiresIn) {
        return json(200, """
                {"token_type": "Bearer", "expires_in": %d, "access_token": "%s", "refresh_token": "%s"}
                """.formatted(expiresIn, access, refresh));
    }

    static MockResponse firstToken() {
        return accessToken(ACCESS_TOKEN, REFRESH_TOKEN, 3600);
    }

    static MockResponse problem(int status, String type, String title, String name) {
        return json(status, """
                {"type": "https://docs.api.video/reference/%s", "title": "%s", "name": "%s", "status": %d}
                """.formatted(type, title, name, status));
    }

    static MockResponse videoCreated(String videoId) {
        return json(201, """
                {"videoId": "%s", "title": "Backend Engineer - Ada Lovelace", "public": false, "mp4Support": true,
                 "createdAt": "2026-11-22T10:00:00+00:00", "tags": [], "metadata": []}
                """.formatted(videoId));
    }

    static MockResponse uploadToken(String token, long ttl, String createdAt, String expiresAt) {
        return json(200, """
                {"token": "%s", "ttl": %d, "createdAt": "%s", "expiresAt": "%s"}
                """.formatted(token, ttl, createdAt, expiresAt));
    }

    /**
     * api.video's answers by route ({@code "POST /videos"}), in order per route, else from one queue in arrival order.
     * The adapter asks for a video and its upload token at once, so a queue alone would hand each the other's answer.
     * A request nothing was scripted for gets a 404 naming it.
     */
    static final class Answers extends Dispatcher {
        private final Map<String, Queue<MockResponse>> byRoute = new ConcurrentHashMap<>();
        private final Queue<MockResponse> inOrder = new ConcurrentLinkedQueue<>();

        static Answers of(MockWebServer server) {
            Answers answers = new Answers();
            server.setDispatcher(answers);
            return answers;
        }

        Answers route(String route, MockResponse... responses) {
            byRoute.computeIfAbsent(route, r -> new ConcurrentLinkedQueue<>()).addAll(List.of(responses));
            return this;
        }

        Answers enqueue(MockResponse response) {
            inOrder.add(response);
            return this;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            Queue<MockResponse> route = byRoute.get(routeOf(request));
            MockResponse scripted = route == null ? null : route.poll();
            if (scripted == null) {
                scripted = inOrder.poll();
            }
            return scripted != null ? scripted
                    : problem(404, "not-scripted", "nothing scripted for " + routeOf(request), "");
        }
    }

    static String routeOf(RecordedRequest request) {
        return request.getMethod() + " " + request.getUrl().encodedPath();
    }

    /** Every request the server has received so far, in arrival order. */
    static List<RecordedRequest> received(MockWebServer server) throws InterruptedException {
        List<RecordedRequest> all = new ArrayList<>();
        int count = server.getRequestCount();
        for (int i = 0; i < count; i++) {
            all.add(take(server));
        }
        return all;
    }

    /** The one request of {@code received} on this route. */
    static RecordedRequest only(List<RecordedRequest> received, String route) {
        List<RecordedRequest> matching = received.stream().filter(r -> routeOf(r).equals(route)).toList();
        assertEquals(1, matching.size(), () -> "requests on " + route + " among "
                + received.stream().map(ApiVideoTestSupport::routeOf).toList());
        return matching.get(0);
    }

    static RecordedRequest take(MockWebServer server) throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertNotNull(request, "expected one more request to api.video");
        return request;
    }

    static JsonNode body(RecordedRequest request) throws Exception {
        assertNotNull(request.getBody(), "expected a request body");
        return JSON.readTree(request.getBody().utf8());
    }

    static JsonNode jsonOf(String text) throws Exception {
        return JSON.readTree(text);
    }

    /** Asserts the exchange that obtains a token with the API key. */
    static void assertApiKeyAuthentication(RecordedRequest request) throws Exception {
        assertEquals("POST", request.getMethod());
        assertEquals("/auth/api-key", request.getUrl().encodedPath());
        assertEquals(null, request.getHeaders().get("Authorization"));
        assertEquals(jsonOf("{\"apiKey\": \"" + API_KEY + "\"}"), body(request));
    }

    static void assertBearer(String token, RecordedRequest request) {
        assertEquals("Bearer " + token, request.getHeaders().get("Authorization"));
    }
}
