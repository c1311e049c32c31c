package ai.interviewinsights.adapters.openai.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A plain JDK WebSocket client on the local endpoint's {@code /v1/realtime}, recording the events it receives. */
final class Sideband implements AutoCloseable {

    final WebSocket socket;
    final BlockingQueue<JsonNode> received;
    final List<JsonNode> all;
    final CompletableFuture<Integer> closed;

    private Sideband(WebSocket socket, Listener listener) {
        this.socket = socket;
        this.received = listener.received;
        this.all = listener.all;
        this.closed = listener.closed;
    }

    static Sideband open(URI base, String query, String key) throws Exception {
        Listener listener = new Listener();
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws") + "/v1/realtime?" + query);
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + key).connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, listener).get(10, TimeUnit.SECONDS);
        return new Sideband(socket, listener);
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    JsonNode await(Predicate<JsonNode> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode event = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no matching sideband event within " + timeout + "; received: "
                        + all.stream().map(e -> e.path("type").asText()).toList());
            }
            if (wanted.test(event)) {
                return event;
            }
        }
    }

    JsonNode awaitType(String type, Duration timeout) throws InterruptedException {
        return await(e -> type.equals(e.path("type").asText()), timeout);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    private static final class Listener implements WebSocket.Listener {
        final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        final List<JsonNode> all = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode event = Wire.JSON.readTree(text);
                    all.add(event);
                    received.add(event);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
