package ai.interviewinsights.adapters.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.interviewinsights.domain.model.Secret;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** Shared test setup: a recognisable fake key, short timings, and request assertions every test makes. */
final class OpenAiTesting {

    /** A key shaped like a real project key, easy to find in a log. */
    static final String FAKE_KEY = "sk-proj-RECOGNISABLE-fake-key-0123456789abcdefABCDEF";
    static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiTesting() {
    }

    /** Fast retries (3 attempts, 10 to 40 ms), sub-second timeouts, a 2 s relay budget, quick reconnects. */
    static OpenAiConfig config(MockWebServer server) {
        return OpenAiConfig.defaults(Secret.of(FAKE_KEY))
                .withBaseUrl(URI.create(server.url("/").toString()))
                .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(700), Duration.ofSeconds(3))
                .withRetry(new OpenAiConfig.Retry(3, Duration.ofMillis(10), Duration.ofMillis(40), 0.25,
                        Duration.ofSeconds(5)))
                .withRelayBudget(Duration.ofSeconds(2))
                .withSideband(new OpenAiConfig.Reconnect(Duration.ofMillis(10), Duration.ofMillis(40),
                        Duration.ofSeconds(10), Duration.ofSeconds(20)))
                .withEvaluation("gpt-5-mini", Duration.ofSeconds(2));
    }

    /** Every request carries the server's key and never the retired beta header. */
    static void assertAuthorised(RecordedRequest request) {
        assertEquals("Bearer " + FAKE_KEY, request.getHeaders().get("Authorization"));
        assertNull(request.getHeaders().get("OpenAI-Beta"), "the beta shape is shut down");
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String body(RecordedRequest request) {
        return request.getBody() == null ? "" : request.getBody().utf8();
    }

    static MockResponse jsonReply(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                .setHeader("x-request-id", "req_test_" + code).body(body).build();
    }

    static MockResponse error(int code, String type, String errorCode, String message) {
        return jsonReply(code, "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,"
                + "\"code\":" + (errorCode == null ? "null" : "\"" + errorCode + "\"") + "}}");
    }

    static MockResponse answer(String sdp, String callId) {
        MockResponse.Builder reply = new MockResponse.Builder().code(201)
                .setHeader("Content-Type", "application/sdp").body(sdp);
        if (callId != null) {
            reply.setHeader("Location", "/v1/realtime/calls/" + callId);
        }
        return reply.build();
    }
}
