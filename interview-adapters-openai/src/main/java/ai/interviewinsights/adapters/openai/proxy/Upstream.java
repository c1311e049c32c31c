package ai.interviewinsights.adapters.openai.proxy;

import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * What the bridge borrows from the OpenAI adapter, so that a proxied call is configured and read exactly like a
 * relayed one: the WebSocket client, the authorised handshake of {@code /v1/realtime?model=...}, the GA session object
 * the hybrid relay sends, and the mapping of server events onto the domain's transcript events. Built by
 * {@code OpenAiAdapters.proxy(...)}; not meant to be assembled by hand.
 *
 * @param client    WebSocket client (no call timeout; pings find a dead connection)
 * @param handshake the upgrade request for a model, carrying the server key
 * @param session   the GA {@code session} object for an interview (the same builder as the SDP relay's)
 * @param events    maps one server event onto the domain's events (trusted: the server's own connection)
 * @param scrub     removes key-like text from anything logged or passed on
 * @param json      the adapter's mapper
 * @param clock     stamps events on arrival
 */
public record Upstream(OkHttpClient client, Function<String, Request> handshake,
                       Function<RealtimeSessionConfig, ObjectNode> session,
                       BiFunction<JsonNode, Instant, Optional<RealtimeEvent>> events,
                       Function<String, String> scrub, ObjectMapper json, Clock clock) {

    public Upstream {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(handshake, "handshake");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(scrub, "scrub");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String toString() {
        return "Upstream[" + client.getClass().getSimpleName() + "]";
    }
}
