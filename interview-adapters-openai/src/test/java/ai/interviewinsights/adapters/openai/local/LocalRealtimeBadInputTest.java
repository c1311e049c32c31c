package ai.interviewinsights.adapters.openai.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.openai.webrtc.BrowserPeer;
import ai.interviewinsights.domain.testing.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile and broken input: every case gets OpenAI's error shape ({@code {"error": {"message", "type", "param",
 * "code"}}} over HTTP, an {@code error} event on a socket), never a 500, never a crash of the JVM (the test would
 * not finish), and the key is never echoed.
 */
class LocalRealtimeBadInputTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static LocalRealtime local;

    @BeforeAll
    static void start() {
        local = LocalRealtime.start(LocalRealtime.Options.defaults().withVoice(LocalRealtimeCallTest.TEXT_MODE));
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    @Test
    void a_wrong_or_missing_key_is_401_with_openais_shape_and_is_never_echoed() throws Exception {
        HttpResponse<String> wrong = post("/v1/realtime/client_secrets", "Bearer sk-not-the-key-123456",
                "application/json", "{}");
        assertError(wrong, 401, "invalid_request_error", "invalid_api_key");
        assertFalse(wrong.body().contains("sk-not-the-key-123456"));
        assertError(post("/v1/realtime/calls", null, "application/sdp", offer()), 401, "invalid_request_error",
                "invalid_api_key");
        assertError(post("/v1/realtime/calls/rtc_x/hangup", "Bearer ek_forged", "application/json", ""), 401,
                "invalid_request_error", "invalid_api_key");
    }

    @Test
    void malformed_sdp_and_wrong_content_types_are_400s() throws Exception {
        String key = "Bearer " + local.apiKey();
        int before = local.liveCalls();
        assertError(post("/v1/realtime/calls", key, "application/sdp", "hello"), 400, "invalid_request_error",
                "invalid_offer");
        assertError(post("/v1/realtime/calls", key, "application/sdp",
                "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=garbage\r\n"),
                400, "invalid_request_error", "invalid_offer");
        assertError(post("/v1/realtime/calls", key, "application/json", "{\"sdp\": \"v=0\"}"), 400,
                "invalid_request_error", "unsupported_content_type");
        assertError(post("/v1/realtime/calls", key, "text/plain", offer()), 400, "invalid_request_error",
                "unsupported_content_type");
        assertError(post("/v1/realtime/client_secrets", key, "application/json", "[not json"), 400,
                "invalid_request_error", "invalid_json");
        assertError(post("/v1/realtime/client_secrets", key, "application/json",
                "{\"expires_after\":{\"anchor\":\"created_at\",\"seconds\":5}}"), 400, "invalid_request_error",
                "integer_out_of_range");
        assertError(post("/v1/realtime/client_secrets", key, "application/json", "{\"session\":{\"model\":\"x\"}}"),
                400, "invalid_request_error", "missing_required_parameter");
        assertEquals(before, local.liveCalls(), "refused offers leave no call behind");
    }

    @Test
    void a_sideband_to_an_unknown_call_is_404_and_a_second_sideband_is_refused() throws Exception {
        ExecutionException unknown = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> Sideband.open(local.baseUrl(), "call_id=rtc_nope", local.apiKey()));
        WebSocketHandshakeException handshake = (WebSocketHandshakeException) unknown.getCause();
        assertEquals(404, handshake.getResponse().statusCode());
        String raw = rawUpgrade("/v1/realtime?call_id=rtc_nope", local.apiKey());
        assertTrue(raw.startsWith("HTTP/1.1 404"), raw);
        assertEquals("call_id_not_found", Wire.JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4))
                .path("error").path("code").asText(), raw);

        try (BrowserPeer browser = new BrowserPeer()) {
            browser.call(local.baseUrl(), local.apiKey());
            try (Sideband first = Sideband.open(local.baseUrl(), "call_id=" + browser.callId, local.apiKey());
                 Sideband second = Sideband.open(local.baseUrl(), "call_id=" + browser.callId, local.apiKey())) {
                JsonNode refused = second.awaitType("error", WAIT);
                assertEquals("sideband_already_attached", refused.path("error").path("code").asText());
                assertEquals("invalid_request_error", refused.path("error").path("type").asText());
                assertEquals(1008, second.closed.get(10, TimeUnit.SECONDS));
                first.send("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\"}}");
                first.awaitType("session.updated", WAIT);
            }
        }
    }

    @Test
    void garbage_on_the_data_channel_and_the_sideband_gets_error_events_and_the_call_goes_on() throws Exception {
        try (BrowserPeer browser = new BrowserPeer()) {
            browser.call(local.baseUrl(), local.apiKey());
            assertTrue(browser.open.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            for (String garbage : new String[] {"not json at all", "[1,2,3]", "{\"no\":\"type\"}",
                    "{\"type\":\"made.up\",\"event_id\":\"evt_9\"}", "{\"type\":\"session.update\",\"session\":{}}",
                    "{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"function_call\"}}",
                    "{\"type\":\"input_audio_buffer.append\",\"audio\":\"%%%\"}", "\u0000\u0001\u0002"}) {
                browser.send(garbage);
                JsonNode error = browser.awaitType("error", WAIT);
                assertEquals("invalid_request_error", error.path("error").path("type").asText(), garbage);
                assertTrue(error.path("error").path("code").isTextual(), garbage);
                assertTrue(error.path("error").path("message").isTextual(), garbage);
            }
            JsonNode unknownType = browser.all.stream().filter(e -> "invalid_value".equals(
                    e.path("error").path("code").asText()) && "type".equals(e.path("error").path("param")
                    .asText())).findFirst().orElseThrow();
            assertEquals("evt_9", unknownType.path("error").path("event_id").asText(), "the error names the event");
            try (Sideband sideband = Sideband.open(local.baseUrl(), "call_id=" + browser.callId, local.apiKey())) {
                sideband.send("{{{{");
                assertEquals("invalid_json", sideband.awaitType("error", WAIT).path("error").path("code").asText());
                sideband.send("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\","
                        + "\"instructions\":\"still alive\"}}");
                assertEquals("still alive", browser.awaitType("session.updated", WAIT).path("session")
                        .path("instructions").asText());
            }
        }
    }

    @Test
    void the_websocket_transport_speaks_ga_events_and_refuses_bad_audio() throws Exception {
        try (Sideband ws = Sideband.open(local.baseUrl(), "model=gpt-realtime", local.apiKey())) {
            JsonNode created = ws.awaitType("session.created", WAIT);
            assertEquals("gpt-realtime", created.path("session").path("model").asText());
            ws.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"AAE=\"}");
            ws.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"AAEC\"}");
            assertEquals("invalid_value", ws.awaitType("error", WAIT).path("error").path("code").asText(),
                    "three bytes are not PCM16");
            ws.send("{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\",\"role\":\"user\","
                    + "\"content\":[{\"type\":\"input_text\",\"text\":\"Hello there\"}]}}");
            JsonNode reply = ws.await(e -> "conversation.item.added".equals(e.path("type").asText())
                    && "assistant".equals(e.path("item").path("role").asText()), WAIT);
            assertTrue(reply.path("item").path("id").asText().startsWith("item_"));
            ws.awaitType("response.done", WAIT);
        }
    }

    /** A WebSocket upgrade by hand, to read the refusal's body (the JDK client does not expose it). */
    static String rawUpgrade(String path, String key) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", local.port())) {
            socket.setSoTimeout(5_000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " + key + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.ByteArrayOutputStream reply = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = socket.getInputStream().read(buffer)) > 0) {
                    reply.write(buffer, 0, n);
                    if (reply.toString(java.nio.charset.StandardCharsets.UTF_8).contains("}}")) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException enough) {
                // what arrived is the reply
            }
            return reply.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static String offer() {
        return Fixtures.resource("sdp/chrome-offer.sdp");
    }

    static HttpResponse<String> post(String path, String authorization, String contentType, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(local.baseUrl() + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertError(HttpResponse<String> reply, int status, String type, String code) throws Exception {
        assertEquals(status, reply.statusCode(), reply.body());
        JsonNode error = Wire.JSON.readTree(reply.body()).path("error");
        assertEquals(type, error.path("type").asText(), reply.body());
        assertEquals(code, error.path("code").asText(), reply.body());
        assertTrue(error.path("message").isTextual() && error.has("param"), reply.body());
        assertTrue(reply.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

}
