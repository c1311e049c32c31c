package ai.interviewinsights.adapters.openai.local;

import ai.interviewinsights.adapters.openai.media.Pcm16;
import ai.interviewinsights.adapters.openai.media.Resampler;
import ai.interviewinsights.adapters.openai.webrtc.AnsweringPeer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP and WebSocket routes of the local endpoint, on OpenAI's paths and with OpenAI's status codes and error
 * bodies. Requests are checked in OpenAI's order: the key first (401), then the request (400), then the call (404).
 */
final class RealtimeRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(RealtimeRoutes.class);
    private static final int SDP_LIMIT = 64 * 1024;
    private static final String INSECURE_KEY_PROTOCOL = "openai-insecure-api-key.";

    private final LocalRealtime endpoint;
    /** WebSocket transport sessions, by Javalin's session id. */
    private final Map<String, Conversation> transports = new ConcurrentHashMap<>();
    /** The WebSocket transport's connections, by Javalin's session id (for {@link #dropTransports()}). */
    private final Map<String, WsContext> transportSockets = new ConcurrentHashMap<>();
    /** Sideband sockets, by Javalin's session id. */
    private final Map<String, Attached> sidebands = new ConcurrentHashMap<>();

    private record Attached(LocalCall call, LocalCall.EventSocket socket) {
    }

    RealtimeRoutes(LocalRealtime endpoint) {
        this.endpoint = endpoint;
    }

    void install(JavalinConfig config) {
        config.routes.before(ctx -> ctx.header("x-request-id", Wire.id("req_")));
        config.routes.post("/v1/realtime/client_secrets", this::clientSecret);
        config.routes.post("/v1/realtime/calls", this::call);
        config.routes.post("/v1/realtime/calls/{id}/hangup", this::hangUp);
        config.routes.wsBeforeUpgrade("/v1/realtime", this::beforeUpgrade);
        config.routes.ws("/v1/realtime", this::webSocket);
        config.routes.error(404, "*", ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                reply(ctx, 404, Wire.restError("invalid_request_error", "unknown_url",
                        "Invalid URL (" + ctx.method() + " " + sanitize(ctx.path()) + ")", null));
            }
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.warn("local realtime endpoint: {} {} failed", ctx.method(), ctx.path(), e);
            reply(ctx, 500, Wire.restError("server_error", "server_error",
                    "The local realtime endpoint had an error while processing your request.", null));
        });
    }

    // ---- REST -------------------------------------------------------------------------------------------------

    private void clientSecret(Context ctx) {
        if (!endpoint.isServerKey(bearer(ctx))) {
            unauthorised(ctx);
            return;
        }
        JsonNode body;
        try {
            body = Wire.JSON.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            badRequest(ctx, "invalid_json", "We could not parse the JSON body of your request.", null);
            return;
        }
        long seconds = 600;
        JsonNode expires = body.get("expires_after");
        if (expires != null && !expires.isNull()) {
            if (!"created_at".equals(Wire.text(expires, "anchor")) && expires.has("anchor")) {
                badRequest(ctx, "invalid_value", "Invalid 'expires_after.anchor': expected 'created_at'.",
                        "expires_after.anchor");
                return;
            }
            JsonNode s = expires.get("seconds");
            if (s != null && (!s.canConvertToLong() || s.asLong() < 10 || s.asLong() > 7200)) {
                badRequest(ctx, "integer_out_of_range", "Invalid 'expires_after.seconds': expected 10 to 7200.",
                        "expires_after.seconds");
                return;
            }
            if (s != null) {
                seconds = s.asLong();
            }
        }
        Instant now = endpoint.clock().instant();
        SessionConfig session = SessionConfig.defaults(now);
        JsonNode requested = body.get("session");
        if (requested != null && !requested.isNull()) {
            try {
                session.apply(requested);
            } catch (IllegalArgumentException e) {
                badRequest(ctx, "missing_required_parameter", "Missing or invalid required parameter: '"
                        + e.getMessage() + "' (this endpoint serves 'realtime' sessions).", e.getMessage());
                return;
            }
        }
        Instant expiresAt = now.plusSeconds(seconds);
        ObjectNode snapshot = session.snapshot();
        String value = endpoint.secrets().mint(snapshot, expiresAt);
        ObjectNode reply = Wire.JSON.createObjectNode();
        reply.put("value", value);
        reply.put("expires_at", expiresAt.getEpochSecond());
        reply.set("session", snapshot);
        reply(ctx, 200, reply);
    }

    private void call(Context ctx) {
        String key = bearer(ctx);
        boolean server = endpoint.isServerKey(key);
        if (!server && !endpoint.secrets().isLive(key)) {
            unauthorised(ctx);
            return;
        }
        String contentType = Optional.ofNullable(ctx.contentType()).orElse("").toLowerCase(Locale.ROOT);
        String offer;
        JsonNode sessionPart = null;
        if (contentType.startsWith("multipart/form-data")) {
            offer = part(ctx, "sdp");
            String session = part(ctx, "session");
            if (session != null) {
                try {
                    sessionPart = Wire.JSON.readTree(session);
                } catch (IOException e) {
                    badRequest(ctx, "invalid_json", "The 'session' part is not valid JSON.", "session");
                    return;
                }
            }
        } else if (contentType.startsWith("application/sdp")) {
            offer = new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8);
        } else {
            badRequest(ctx, "unsupported_content_type", "Unsupported content type '" + sanitize(contentType)
                    + "': send the offer as application/sdp, or multipart/form-data with 'sdp' and 'session' parts.",
                    null);
            return;
        }
        if (offer == null || offer.isBlank()) {
            badRequest(ctx, "missing_required_parameter", "Missing required parameter: 'sdp'.", "sdp");
            return;
        }
        if (offer.length() > SDP_LIMIT || !offer.startsWith("v=0") || !offer.contains("\nm=")) {
            badRequest(ctx, "invalid_offer", "The SDP offer is malformed (it must start with v=0 and have at least"
                    + " one m= section).", "sdp");
            return;
        }
        SessionConfig session = SessionConfig.defaults(endpoint.clock().instant());
        if (!server) {
            Optional<ObjectNode> fromSecret = endpoint.secrets().redeem(key);
            if (fromSecret.isEmpty()) {
                unauthorised(ctx);
                return;
            }
            session.apply(fromSecret.get());
        }
        if (sessionPart != null) {
            try {
                session.apply(sessionPart);
            } catch (IllegalArgumentException e) {
                badRequest(ctx, "missing_required_parameter", "Missing or invalid required parameter: '"
                        + e.getMessage() + "'.", e.getMessage());
                return;
            }
        }
        LocalCall call = endpoint.newCall(session);
        String answer;
        try {
            answer = call.answer(offer.replace("\r\n", "\n").replace("\n", "\r\n"), endpoint.answerTimeout());
        } catch (AnsweringPeer.PeerException e) {
            endpoint.hangUp(call.id());
            LOG.info("offer refused ({}): {}", e.code(), e.getMessage());
            badRequest(ctx, e.code(), "The SDP offer could not be applied: " + sanitize(e.getMessage()), "sdp");
            return;
        }
        LOG.info("call {} answered ({})", call.id(), call.textMode() ? "text mode" : "offline voice");
        ctx.status(201);
        ctx.header("Location", "/v1/realtime/calls/" + call.id());
        ctx.contentType("application/sdp");
        ctx.result(answer);
    }

    private void hangUp(Context ctx) {
        if (!endpoint.isServerKey(bearer(ctx))) {
            unauthorised(ctx);
            return;
        }
        if (!endpoint.hangUp(ctx.pathParam("id"))) {
            reply(ctx, 404, Wire.restError("invalid_request_error", "call_not_found",
                    "Call '" + sanitize(ctx.pathParam("id")) + "' not found.", "call_id"));
            return;
        }
        ctx.status(200);
        ctx.result("");
    }

    // ---- WebSocket: sideband (call_id=...) and transport (model=...) --------------------------------------------

    private void beforeUpgrade(Context ctx) {
        String key = wsKey(ctx.header("Authorization"), ctx.header("Sec-WebSocket-Protocol"));
        String callId = ctx.queryParam("call_id");
        boolean server = endpoint.isServerKey(key);
        if (!server && !(callId == null && endpoint.secrets().isLive(key))) {
            if (callId != null && endpoint.secrets().isLive(key)) {
                refuse(ctx, 404, Wire.restError("invalid_request_error", "call_id_not_found",
                        "Call '" + sanitize(callId) + "' not found (join a call's sideband with the API key).",
                        "call_id"));
                return;
            }
            refuse(ctx, 401, authError());
            return;
        }
        if (callId != null) {
            Optional<LocalCall> call = endpoint.call(callId);
            if (call.isEmpty() || call.get().ended()) {
                refuse(ctx, 404, Wire.restError("invalid_request_error", "call_id_not_found",
                        "Call '" + sanitize(callId) + "' not found.", "call_id"));
            }
        }
    }

    /**
     * Refuses a WebSocket upgrade with OpenAI's error body. Javalin drops a result set before an upgrade, so the
     * body is written to the response itself.
     */
    private void refuse(Context ctx, int status, ObjectNode body) {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        ctx.status(status);
        ctx.contentType("application/json");
        ctx.res().setContentLength(bytes.length);
        try {
            ctx.res().getOutputStream().write(bytes);
            ctx.res().getOutputStream().flush();
        } catch (IOException e) {
            LOG.debug("refusing an upgrade: {}", e.toString());
        }
        ctx.skipRemainingHandlers();
    }

    private void webSocket(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.session.setIdleTimeout(java.time.Duration.ofMinutes(61));
            String callId = ctx.queryParam("call_id");
            if (callId != null) {
                joinSideband(ctx, callId);
            } else {
                openTransport(ctx);
            }
        });
        ws.onMessage(ctx -> {
            Attached attached = sidebands.get(ctx.sessionId());
            if (attached != null) {
                attached.call().clientEvent(ctx.message(), error -> send(ctx, error));
                return;
            }
            Conversation transport = transports.get(ctx.sessionId());
            if (transport != null) {
                transport.clientEvent(ctx.message(), error -> send(ctx, error));
            }
        });
        ws.onBinaryMessage(ctx -> send(ctx, Wire.errorEvent("invalid_request_error", "invalid_json",
                "Binary messages are not supported: send JSON text events.", null, null)));
        ws.onClose(ctx -> {
            Attached attached = sidebands.remove(ctx.sessionId());
            if (attached != null) {
                attached.call().detachSideband(attached.socket());
            }
            transportSockets.remove(ctx.sessionId());
            Conversation transport = transports.remove(ctx.sessionId());
            if (transport != null) {
                transport.close();
            }
        });
        ws.onError(ctx -> LOG.debug("websocket error: {}", String.valueOf(ctx.error())));
    }

    private void joinSideband(WsContext ctx, String callId) {
        Optional<LocalCall> call = endpoint.call(callId);
        LocalCall.EventSocket socket = new LocalCall.EventSocket() {
            @Override
            public void send(String text) {
                synchronized (this) {
                    try {
                        ctx.send(text);
                    } catch (RuntimeException e) {
                        LOG.debug("sideband send failed: {}", e.toString());
                    }
                }
            }

            @Override
            public void close(int status, String reason) {
                try {
                    ctx.closeSession(status, reason);
                } catch (RuntimeException e) {
                    LOG.debug("sideband close failed: {}", e.toString());
                }
            }
        };
        if (call.isEmpty()) {
            send(ctx, Wire.errorEvent("invalid_request_error", "call_id_not_found",
                    "Call '" + sanitize(callId) + "' not found.", "call_id", null));
            ctx.closeSession(1008, "call_id_not_found");
            return;
        }
        sidebands.put(ctx.sessionId(), new Attached(call.get(), socket));
        if (!call.get().attachSideband(socket)) {
            sidebands.remove(ctx.sessionId());
            send(ctx, Wire.errorEvent("invalid_request_error", "sideband_already_attached",
                    "Call '" + sanitize(callId) + "' already has a sideband connection; close it first.",
                    "call_id", null));
            ctx.closeSession(1008, "sideband_already_attached");
            return;
        }
        LOG.info("sideband joined call {}", callId);
    }

    private void openTransport(WsContext ctx) {
        String key = wsKey(ctx.header("Authorization"), ctx.header("Sec-WebSocket-Protocol"));
        SessionConfig session = SessionConfig.defaults(endpoint.clock().instant());
        String model = ctx.queryParam("model");
        if (!endpoint.isServerKey(key)) {
            Optional<ObjectNode> fromSecret = endpoint.secrets().redeem(key);
            if (fromSecret.isEmpty()) {
                send(ctx, Wire.errorEvent("invalid_request_error", "invalid_api_key",
                        "The client secret is expired or was already used.", null, null));
                ctx.closeSession(1008, "invalid_api_key");
                return;
            }
            session.apply(fromSecret.get());
        }
        if (model != null && !model.isBlank()) {
            session.apply(Wire.JSON.createObjectNode().put("type", "realtime").put("model", model));
        }
        String label = "ws_" + ctx.sessionId().replaceAll("[^A-Za-z0-9]", "").substring(0,
                Math.min(12, ctx.sessionId().replaceAll("[^A-Za-z0-9]", "").length()));
        Conversation conversation = new Conversation(label, session, endpoint.voice(), new AudioDeltas(ctx),
                event -> send(ctx, event), endpoint.clock());
        transports.put(ctx.sessionId(), conversation);
        transportSockets.put(ctx.sessionId(), ctx);
        send(ctx, conversation.sessionCreated());
        endpoint.timers().schedule(conversation::greet, LocalCall.GREETING_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A test fault, not something OpenAI offers: cuts every open WebSocket transport connection at the TCP level, with
     * no close frame, as a network failure does. Its conversation ends with it, as OpenAI's would.
     *
     * @return how many connections were cut
     */
    int dropTransports() {
        int dropped = 0;
        for (Map.Entry<String, WsContext> open : transportSockets.entrySet()) {
            try {
                open.getValue().session.disconnect();
                dropped++;
            } catch (RuntimeException e) {
                LOG.debug("dropping a transport connection failed: {}", e.toString());
            }
            transportSockets.remove(open.getKey());
            Conversation conversation = transports.remove(open.getKey());
            if (conversation != null) {
                conversation.close();
            }
        }
        return dropped;
    }

    /** Open WebSocket transport connections. */
    int transportCount() {
        return transportSockets.size();
    }

    /**
     * The WebSocket transport's voice: {@code response.output_audio.delta} events of base64 PCM16 at 24 kHz, sent as
     * fast as they are made (like OpenAI's); the client plays them and truncates on barge-in.
     */
    private static final class AudioDeltas implements Conversation.VoiceOut {
        private final WsContext ctx;

        AudioDeltas(WsContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Conversation.Playback play(String responseId, String itemId, Pcm16 audio, Runnable finished) {
            short[] samples = audio.sampleRate() == 24_000 ? audio.samples()
                    : Resampler.convert(audio.samples(), audio.sampleRate(), 24_000);
            int chunk = 2_400; // 100 ms
            for (int from = 0; from < samples.length; from += chunk) {
                int n = Math.min(chunk, samples.length - from);
                ByteBuffer bytes = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    bytes.putShort(samples[from + i]);
                }
                ObjectNode delta = Wire.event("response.output_audio.delta");
                delta.put("response_id", responseId).put("item_id", itemId).put("output_index", 0)
                        .put("content_index", 0).put("delta", Base64.getEncoder().encodeToString(bytes.array()));
                send(ctx, delta);
            }
            finished.run();
            long duration = samples.length * 1000L / 24_000;
            return () -> duration;
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static String part(Context ctx, String name) {
        UploadedFile file = ctx.uploadedFile(name);
        if (file != null) {
            try (InputStream in = file.content()) {
                return new String(in.readNBytes(SDP_LIMIT + 1), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return null;
            }
        }
        return ctx.formParam(name);
    }

    private static String bearer(Context ctx) {
        return bearer(ctx.header("Authorization"));
    }

    private static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }

    /** The key of a WebSocket: the Authorization header, or a browser's {@code openai-insecure-api-key.} protocol. */
    private static String wsKey(String authorization, String protocols) {
        String key = bearer(authorization);
        if (key == null && protocols != null) {
            for (String protocol : protocols.split(",")) {
                String p = protocol.trim();
                if (p.startsWith(INSECURE_KEY_PROTOCOL)) {
                    key = p.substring(INSECURE_KEY_PROTOCOL.length());
                }
            }
        }
        return key;
    }

    private static ObjectNode authError() {
        // Never quotes the presented key back (OpenAI quotes a masked prefix; nothing is safer).
        return Wire.restError("invalid_request_error", "invalid_api_key",
                "Incorrect API key provided. Use the key the local realtime endpoint printed or was started with.",
                null);
    }

    private static void unauthorised(Context ctx) {
        reply(ctx, 401, authError());
    }

    private static void badRequest(Context ctx, String code, String message, String param) {
        reply(ctx, 400, Wire.restError("invalid_request_error", code, message, param));
    }

    private static void reply(Context ctx, int status, ObjectNode body) {
        ctx.status(status);
        ctx.contentType("application/json");
        ctx.result(body.toString());
    }

    private static void send(WsContext ctx, ObjectNode event) {
        LocalRealtime.send(ctx, event);
    }

    private static String sanitize(String value) {
        if (value == null) {
            return "";
        }
        String clean = value.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 120 ? clean.substring(0, 120) + "..." : clean;
    }
}
