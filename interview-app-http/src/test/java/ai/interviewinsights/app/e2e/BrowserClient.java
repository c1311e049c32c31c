package ai.interviewinsights.app.e2e;

import ai.interviewinsights.app.web.Json;
import ai.interviewinsights.domain.testing.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** What a browser does on the runner's WebSocket, with the JDK's own WebSocket client. */
final class BrowserClient implements AutoCloseable {

    private final ObjectMapper json = Json.mapper();
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    BrowserClient(String websocketUrl) throws Exception {
        StringBuilder partial = new StringBuilder();
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(websocketUrl), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                received.add(json.readTree(partial.toString()));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                        closed.complete(status);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        closed.completeExceptionally(error);
                    }
                }).get(10, TimeUnit.SECONDS);
    }

    void send(Object message) throws Exception {
        socket.sendText(json.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
    }

    /** Waits for a message matching the predicate (already received ones count). */
    JsonNode await(Predicate<JsonNode> matching, Duration timeout) throws Exception {
        // Never less than the shared patience: a busy machine must not fail a test by being slow.
        Duration bound = timeout.compareTo(Eventually.PATIENCE) < 0 ? Eventually.PATIENCE : timeout;
        return Eventually.value("a matching message", bound,
                () -> received.stream().filter(matching).findFirst(), this::seen);
    }

    /**
     * What this browser has been told, in order, and whether its socket closed: a failed wait says what came
     * instead (an error's code, an {@code interrupted} status, a close) - the end of a CI log is often all there is.
     */
    String seen() {
        List<String> said = new ArrayList<>();
        for (JsonNode m : received) {
            String type = m.path("type").asText();
            said.add(switch (type) {
                case "status" -> "status:" + m.path("status").asText()
                        + (m.hasNonNull("reason") ? "(" + m.path("reason").asText() + ")" : "");
                case "error" -> "error:" + m.path("code").asText();
                case "transcript_ack" -> "ack(" + m.path("stored").size() + "+" + m.path("duplicates").size()
                        + (m.path("pending").size() > 0 ? ", " + m.path("pending").size() + " pending" : "") + ")";
                default -> type;
            });
        }
        String socket = !closed.isDone() ? "open" : closed.isCompletedExceptionally() ? "failed"
                : "closed " + closed.join();
        return said.size() + " message(s) " + said + "; socket " + socket;
    }

    JsonNode awaitType(String type) throws Exception {
        return await(m -> type.equals(m.path("type").asText()), Eventually.PATIENCE);
    }

    /** Every key acknowledged as durable (stored or duplicate) so far. */
    List<String> durableKeys() {
        List<String> keys = new ArrayList<>();
        for (JsonNode message : received) {
            if ("transcript_ack".equals(message.path("type").asText())) {
                message.path("stored").forEach(k -> keys.add(k.asText()));
                message.path("duplicates").forEach(k -> keys.add(k.asText()));
            }
        }
        return keys;
    }

    void awaitDurable(List<String> keys, Duration timeout) throws Exception {
        Duration bound = timeout.compareTo(Eventually.PATIENCE) < 0 ? Eventually.PATIENCE : timeout;
        Eventually.until("durable: " + keys, bound, () -> durableKeys().containsAll(keys),
                () -> "durable " + durableKeys() + "; " + seen());
    }

    /**
     * A short interview as the room's page holds it: Chrome's offer and its answer, then the given items durable,
     * then the candidate's end and the runner's "ended".
     */
    void offerAwaitDurableAndEnd(List<String> durable) throws Exception {
        send(Map.of("type", "sdp_offer", "sdp", Fixtures.resource("sdp/chrome-offer.sdp")));
        awaitType("sdp_answer");
        awaitDurable(durable, Duration.ofSeconds(30));
        send(Map.of("type", "end_session"));
        await(m -> "ended".equals(m.path("status").asText()), Duration.ofSeconds(30));
    }

    /** Sends raw text, as a hostile or broken browser might. */
    void sendRaw(String text) throws Exception {
        socket.sendText(text, true).get(30, TimeUnit.SECONDS);
    }

    boolean isClosed() {
        return closed.isDone();
    }

    List<JsonNode> received() {
        return List.copyOf(received);
    }

    int awaitClose(Duration timeout) throws Exception {
        Duration bound = timeout.compareTo(Eventually.PATIENCE) < 0 ? Eventually.PATIENCE : timeout;
        return closed.get(Eventually.scaled(bound).toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        socket.abort();
    }
}
