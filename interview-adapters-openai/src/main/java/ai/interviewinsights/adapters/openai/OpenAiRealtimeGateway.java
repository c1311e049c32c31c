package ai.interviewinsights.adapters.openai;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.realtime.ClientSecret;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpAnswer;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.model.sdp.SdpRejectedException;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenAI's Realtime GA API as the interview needs it: client secrets for the browser-direct variant, the server-side
 * SDP relay through {@code POST /v1/realtime/calls} (the key stays here and the call id is learnt from
 * {@code Location}), the sideband WebSocket and the hang-up.
 */
final class OpenAiRealtimeGateway implements RealtimeGateway {

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiRealtimeGateway.class);
    static final MediaType JSON = MediaType.get("application/json");
    static final MediaType SDP = MediaType.get("application/sdp");

    private final OpenAiHttp http;
    private final OkHttpClient sidebandClient;
    private final OpenAiConfig config;
    private final Clock clock;
    private final ObjectMapper json;
    private final SessionJson sessions;

    OpenAiRealtimeGateway(OpenAiHttp http, OkHttpClient sidebandClient, OpenAiConfig config, Clock clock,
                          ObjectMapper json) {
        this.http = http;
        this.sidebandClient = sidebandClient;
        this.config = config;
        this.clock = clock;
        this.json = json;
        this.sessions = new SessionJson(json);
    }

    @Override
    public ClientSecret mintClientSecret(RealtimeSessionConfig session, Duration ttl) {
        if (!SessionJson.isValidTtl(ttl)) {
            throw DomainException.invalid("openai.invalid_ttl", "a client secret lives 10 s to 2 h, not " + ttl);
        }
        Request request = endUser(http.authorised(http.url("realtime", "client_secrets")), session)
                .post(jsonBody(sessions.clientSecretRequest(session, ttl)))
                .build();
        HttpReply reply = http.send("client secret", request);
        if (reply.code() != 200) {
            throw http.errors().fromReply("client secret", reply);
        }
        JsonNode body = parse(reply, "client secret");
        JsonNode value = body.path("value");
        JsonNode expiresAt = body.path("expires_at");
        if (!value.isTextual() || value.asText().isEmpty() || !expiresAt.canConvertToLong()) {
            throw http.errors().malformed("openai.malformed_reply", "OpenAI's client secret reply lacks value or"
                    + " expires_at (request id " + reply.requestId() + ")");
        }
        return new ClientSecret(Secret.of(value.asText()), Instant.ofEpochSecond(expiresAt.asLong()));
    }

    @Override
    public RelayedCall relay(SdpOffer offer, RealtimeSessionConfig session) {
        relayed = true;
        RequestBody multipart = new MultipartBody.Builder()
                .setType(MultipartBody.FORM)
                // Built from bytes: a String body would add "; charset=utf-8" to the part's type.
                .addFormDataPart("sdp", null, RequestBody.create(offer.text().getBytes(StandardCharsets.UTF_8), SDP))
                .addFormDataPart("session", null, RequestBody.create(sessionJson(session), JSON))
                .build();
        Request request = endUser(http.authorised(http.url("realtime", "calls")), session).post(multipart).build();
        HttpReply reply = http.send("SDP relay", request, config.relayBudget());
        if (reply.code() != 201) {
            throw http.errors().fromReply("SDP relay", reply);
        }
        Optional<RealtimeCallId> callId = callId(reply);
        String answer = reply.body();
        if (!answer.startsWith("v=0")) {
            callId.ifPresent(this::hangUpQuietly);
            throw http.errors().malformed("openai.malformed_answer", "OpenAI answered 201 but the body is not an SDP"
                    + " answer (" + reply.header("Content-Type").orElse("no content type") + ", " + answer.length()
                    + " chars; request id " + reply.requestId() + ")");
        }
        if (callId.isEmpty()) {
            // The call exists at OpenAI, but without its id it can be neither watched nor hung up.
            throw http.errors().malformed("openai.missing_call_id", "OpenAI answered the offer without a usable"
                    + " Location header, so the call has no id (request id " + reply.requestId() + ")");
        }
        try {
            return new RelayedCall(SdpAnswer.validate(answer, offer), callId.get());
        } catch (SdpRejectedException e) {
            LOG.warn("OpenAI's answer for call {} fails validation ({}); hanging the call up", callId.get(), e.code());
            hangUpQuietly(callId.get());
            throw e;
        }
    }

    /**
     * The {@code session} part of a relay as JSON bytes: a runner relays every offer of its interview with the same
     * configuration (its assignment's), so it is written once and kept (decision 25).
     */
    private byte[] sessionJson(RealtimeSessionConfig session) {
        SessionPart last = lastSession;
        if (last == null || last.config() != session) {
            try {
                last = new SessionPart(session, json.writeValueAsBytes(sessions.session(session)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a JSON tree always serialises", e);
            }
            lastSession = last;
        }
        return last.json();
    }

    /** The last configuration relayed, with its JSON; never changed, so it is shared read-only between offers. */
    private record SessionPart(RealtimeSessionConfig config, byte[] json) {
    }

    private volatile SessionPart lastSession;

    /**
     * Opens the connection a relay will use (a keyless {@code GET} of the API root, within 2 s), so the first offer
     * finds TLS set up and the connection pooled; then rehearses the relay's exchange on loopback
     * ({@link RelayRehearsal}: never off this host, never with the key), so it finds the relay's code run and partly
     * compiled. A real offer that comes meanwhile stops the rehearsal before its next exchange.
     */
    @Override
    public void warmUp() {
        http.preconnect(Duration.ofSeconds(2));
        // The first offer may come while this runs (a client quicker than a browser): the rehearsal then yields.
        int exchanges = RelayRehearsal.exchanges(System.getProperty(RelayRehearsal.EXCHANGES_PROPERTY));
        if (exchanges > 0) {
            RelayRehearsal.run(http, sidebandClient, config, clock, json, exchanges, () -> relayed);
        }
    }

    /** Whether this gateway has relayed an offer: a rehearsal still running stops then. */
    private volatile boolean relayed;

    @Override
    public void hangUp(RealtimeCallId call) {
        Request request = http.authorised(http.url("realtime", "calls", call.value(), "hangup"))
                .post(RequestBody.create(new byte[0], null))
                .build();
        HttpReply reply = http.send("hang-up", request);
        if (reply.code() == 404) {
            LOG.info("call {} was already over", call);
            return;
        }
        if (!reply.isSuccess()) {
            throw http.errors().fromReply("hang-up", reply);
        }
        LOG.info("hung up call {}", call);
    }

    @Override
    public Sideband openSideband(RealtimeCallId call, SidebandListener listener) {
        return openSideband(call, null, listener);
    }

    /**
     * The sideband of a call set up with {@code session}: the handshake names the same end user, because OpenAI
     * does not carry the safety identifier over from the call to a new connection. Events flow from the first one
     * OpenAI sends; nothing waits for {@code session.created}, which OpenAI does not send when joining a call. The
     * session's instructions are kept: a browser's {@code session.update} that changes them is answered with the
     * server's (see {@link SidebandConnection}).
     */
    @Override
    public Sideband openSideband(RealtimeCallId call, RealtimeSessionConfig session, SidebandListener listener) {
        HttpUrl url = http.url("realtime").newBuilder().addQueryParameter("call_id", call.value()).build();
        Request handshake = (session == null ? http.authorised(url) : endUser(http.authorised(url), session)).build();
        SidebandConnection sideband = new SidebandConnection(sidebandClient, handshake, call,
                listener, clock, config.sideband(), json, new Redaction(config.apiKey()),
                session == null ? null : session.instructions());
        sideband.open();
        return sideband;
    }

    /**
     * {@code OpenAI-Safety-Identifier}: the end user of this session as a stable hash (see
     * {@link RealtimeSessionConfig#safetyIdentifier}); it must be on every request or connection that creates or
     * joins a session - OpenAI does not inherit it.
     */
    static Request.Builder endUser(Request.Builder request, RealtimeSessionConfig session) {
        if (session != null && session.safetyIdentifier() != null) {
            request.header(SAFETY_IDENTIFIER, session.safetyIdentifier());
        }
        return request;
    }

    static final String SAFETY_IDENTIFIER = "OpenAI-Safety-Identifier";

    /** The call id: the last path segment of {@code Location} ({@code /v1/realtime/calls/rtc_...}). */
    private static Optional<RealtimeCallId> callId(HttpReply reply) {
        Optional<String> location = reply.header("Location");
        if (location.isEmpty()) {
            return Optional.empty();
        }
        String path = location.get();
        int query = indexOfQueryOrFragment(path);
        if (query >= 0) {
            path = path.substring(0, query);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        try {
            return Optional.of(new RealtimeCallId(last));
        } catch (DomainException notAnId) {
            return Optional.empty();
        }
    }

    /** Where {@code ?} or {@code #} starts, or -1 (not a regular expression: one offer, no pattern compiled). */
    private static int indexOfQueryOrFragment(String location) {
        for (int i = 0; i < location.length(); i++) {
            char c = location.charAt(i);
            if (c == '?' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    private void hangUpQuietly(RealtimeCallId call) {
        try {
            hangUp(call);
        } catch (DomainException e) {
            LOG.warn("hanging up call {} failed: {}", call, e.code());
        }
    }

    private RequestBody jsonBody(JsonNode body) {
        try {
            return RequestBody.create(json.writeValueAsBytes(body), JSON);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private JsonNode parse(HttpReply reply, String operation) {
        try {
            JsonNode node = json.readTree(reply.body());
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw http.errors().malformed("openai.malformed_reply", "OpenAI's " + operation + " reply is not a JSON object"
                + " (request id " + reply.requestId() + ")");
    }

    @Override
    public String toString() {
        return "OpenAiRealtimeGateway[" + config.baseUrl() + "]";
    }
}
