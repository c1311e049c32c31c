package ai.interviewinsights.adapters.openai;

import static ai.interviewinsights.adapters.openai.OpenAiTesting.answer;
import static ai.interviewinsights.adapters.openai.OpenAiTesting.assertAuthorised;
import static ai.interviewinsights.adapters.openai.OpenAiTesting.body;
import static ai.interviewinsights.adapters.openai.OpenAiTesting.json;
import static ai.interviewinsights.adapters.openai.OpenAiTesting.jsonReply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.interviewinsights.domain.model.realtime.ClientSecret;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.MediaType;
import okhttp3.MultipartReader;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every Realtime request, exactly as OpenAI's GA API receives it. */
class RealtimeRequestsTest {

    static final RealtimeSessionConfig SESSION = new RealtimeSessionConfig(
            "You are a friendly interviewer for Acme Corp. Ask about system design.", "marin", "gpt-realtime",
            "gpt-4o-transcribe", "en", Duration.ofMinutes(30));

    /** The GA session object for {@link #SESSION}, written out by hand. */
    static final String SESSION_JSON = """
            {"type": "realtime", "model": "gpt-realtime",
             "instructions": "You are a friendly interviewer for Acme Corp. Ask about system design.",
             "audio": {"input": {"transcription": {"model": "gpt-4o-transcribe", "language": "en"},
                                 "turn_detection": {"type": "server_vad"}},
                       "output": {"voice": "marin"}},
             "output_modalities": ["audio"]}""";

    @StartStop
    final MockWebServer server = new MockWebServer();

    private OpenAiAdapters openai;

    @BeforeEach
    void create() {
        openai = OpenAiAdapters.create(OpenAiTesting.config(server), MutableClock.at("2026-11-22T10:00:00Z"));
    }

    @AfterEach
    void close() {
        openai.close();
    }

    @Test
    void a_client_secret_is_minted_with_the_session_and_expiry_in_the_ga_shape() throws Exception {
        server.enqueue(jsonReply(200, """
                {"value": "ek_68af296e8e408191a1120ab6383263c2", "expires_at": 1795000000,
                 "session": {"type": "realtime", "object": "realtime.session", "model": "gpt-realtime"}}"""));

        ClientSecret secret = openai.realtime().mintClientSecret(SESSION, Duration.ofMinutes(2));

        assertEquals("ek_68af296e8e408191a1120ab6383263c2", secret.value().reveal());
        assertEquals(Instant.ofEpochSecond(1795000000), secret.expiresAt());
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertEquals("POST", request.getMethod());
        assertEquals("/v1/realtime/client_secrets", request.getTarget());
        assertAuthorised(request);
        assertEquals("application/json", request.getHeaders().get("Content-Type"));
        JsonNode sent = json(body(request));
        assertEquals(json("{\"expires_after\": {\"anchor\": \"created_at\", \"seconds\": 120}, \"session\": "
                + SESSION_JSON + "}"), sent);
        assertEquals(List.of(), VendorSchema.problems("RealtimeCreateClientSecretRequest", sent));
    }

    @ParameterizedTest
    @ValueSource(strings = {"chrome", "firefox", "safari"})
    void an_offer_is_relayed_as_multipart_with_the_session_and_the_call_id_read_from_location(String browser)
            throws Exception {
        String offerText = Fixtures.resource("sdp/" + browser + "-offer.sdp");
        String answerText = Fixtures.resource("sdp/openai-answer.sdp");
        server.enqueue(answer(answerText, "rtc_u1_9c6574da8b8a41a18da9308f4ad974ce"));

        RelayedCall call = openai.realtime().relay(SdpOffer.validate(offerText), SESSION);

        assertEquals(answerText, call.answer().text());
        assertEquals(new RealtimeCallId("rtc_u1_9c6574da8b8a41a18da9308f4ad974ce"), call.callId());
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertEquals("POST", request.getMethod());
        assertEquals("/v1/realtime/calls", request.getTarget());
        assertAuthorised(request);
        MediaType type = MediaType.get(request.getHeaders().get("Content-Type"));
        assertEquals("multipart/form-data", type.type() + "/" + type.subtype());
        List<Part> parts = parts(request, type.parameter("boundary"));
        assertEquals(2, parts.size());
        assertEquals("form-data; name=\"sdp\"", parts.get(0).disposition());
        assertEquals("application/sdp", parts.get(0).contentType());
        assertEquals(offerText, parts.get(0).body(), "the offer travels byte for byte");
        assertEquals("form-data; name=\"session\"", parts.get(1).disposition());
        assertEquals("application/json", parts.get(1).contentType());
        assertEquals(json(SESSION_JSON), json(parts.get(1).body()));
        ObjectNode asSpecified = OpenAiTesting.JSON.createObjectNode();
        asSpecified.put("sdp", parts.get(0).body());
        asSpecified.set("session", json(parts.get(1).body()));
        assertEquals(List.of(), VendorSchema.problems("RealtimeCallCreateRequest", asSpecified));
    }

    @Test
    void each_relay_carries_its_own_sessions_settings_when_the_configuration_changes() throws Exception {
        // The session part is written once per configuration and kept (decision 25): a new one must not be missed.
        RealtimeSessionConfig other = new RealtimeSessionConfig("Ask about databases.", "alloy", "gpt-realtime",
                "gpt-4o-transcribe", "en", Duration.ofMinutes(20));
        String offerText = Fixtures.resource("sdp/chrome-offer.sdp");
        List<String> sessions = new java.util.ArrayList<>();
        for (RealtimeSessionConfig config : List.of(SESSION, SESSION, other, SESSION)) {
            server.enqueue(answer(Fixtures.resource("sdp/openai-answer.sdp"), "rtc_u1_9c6574da8b8a41a18da9308f4ad974ce"));
            openai.realtime().relay(SdpOffer.validate(offerText), config);
            RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
            MediaType type = MediaType.get(request.getHeaders().get("Content-Type"));
            sessions.add(json(parts(request, type.parameter("boundary")).get(1).body()).path("instructions").asText());
        }
        assertEquals(List.of(SESSION.instructions(), SESSION.instructions(), "Ask about databases.",
                SESSION.instructions()), sessions);
    }

    @Test
    void a_location_with_a_fragment_yields_the_call_id_without_it() {
        server.enqueue(new MockResponse.Builder().code(201).setHeader("Content-Type", "application/sdp")
                .setHeader("Location", "/v1/realtime/calls/rtc_frag42/#top")
                .body(Fixtures.resource("sdp/openai-answer.sdp")).build());

        RelayedCall call = openai.realtime().relay(SdpOffer.validate(Fixtures.resource("sdp/chrome-offer.sdp")),
                SESSION);

        assertEquals(new RealtimeCallId("rtc_frag42"), call.callId());
    }

    @Test
    void an_absolute_location_also_yields_the_call_id() {
        server.enqueue(new MockResponse.Builder().code(201).setHeader("Content-Type", "application/sdp")
                .setHeader("Location", "https://api.openai.com/v1/realtime/calls/rtc_abs123?x=1")
                .body(Fixtures.resource("sdp/openai-answer.sdp")).build());

        RelayedCall call = openai.realtime().relay(SdpOffer.validate(Fixtures.resource("sdp/chrome-offer.sdp")),
                SESSION);

        assertEquals(new RealtimeCallId("rtc_abs123"), call.callId());
    }

    @Test
    void hanging_up_posts_to_the_calls_hangup_endpoint() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).build());

        openai.realtime().hangUp(new RealtimeCallId("rtc_to_end"));

        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertEquals("POST", request.getMethod());
        assertEquals("/v1/realtime/calls/rtc_to_end/hangup", request.getTarget());
        assertAuthorised(request);
        assertEquals(0, request.getBodySize());
    }

    @Test
    void hanging_up_a_call_that_is_already_over_counts_as_hung_up() throws Exception {
        server.enqueue(OpenAiTesting.error(404, "invalid_request_error", "call_not_found", "Call not found"));

        openai.realtime().hangUp(new RealtimeCallId("rtc_gone"));

        assertEquals("/v1/realtime/calls/rtc_gone/hangup", server.takeRequest(1, TimeUnit.SECONDS).getTarget());
        assertEquals(1, server.getRequestCount(), "a 404 is not retried");
    }

    @Test
    void the_sideband_handshake_carries_the_call_id_and_the_key_only() throws Exception {
        server.enqueue(OpenAiTesting.error(404, "invalid_request_error", null, "Call not found"));
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

        try (var ignored = openai.realtime().openSideband(new RealtimeCallId("rtc_watch"), e -> ended.countDown())) {
            assertEquals(true, ended.await(5, TimeUnit.SECONDS));
        }

        RecordedRequest handshake = server.takeRequest(1, TimeUnit.SECONDS);
        assertEquals("GET", handshake.getMethod());
        assertEquals("/v1/realtime?call_id=rtc_watch", handshake.getTarget());
        assertAuthorised(handshake);
        assertEquals("websocket", handshake.getHeaders().get("Upgrade"));
        assertNull(handshake.getHeaders().get("OpenAI-Safety-Identifier"));
    }

    /** One part of a multipart body. */
    record Part(String disposition, String contentType, String body) {
    }

    static List<Part> parts(RecordedRequest request, String boundary) throws IOException {
        assertNotNull(boundary, "a multipart body needs its boundary");
        List<Part> parts = new ArrayList<>();
        try (MultipartReader reader = new MultipartReader(new Buffer().write(request.getBody()), boundary)) {
            for (MultipartReader.Part next = reader.nextPart(); next != null; next = reader.nextPart()) {
                try (MultipartReader.Part part = next) {
                    parts.add(new Part(part.headers().get("Content-Disposition"), part.headers().get("Content-Type"),
                            part.body().readUtf8()));
                }
            }
        }
        return parts;
    }
}
