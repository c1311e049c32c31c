package ai.interviewinsights.adapters.openai.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import mockwebserver3.MockResponse;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * OpenAI's side of the Realtime WebSocket transport, speaking GA events: it answers {@code session.update} with
 * {@code session.updated}, records every client event, keeps the candidate's appended audio (PCM16 24 kHz), and can
 * echo it back as the interviewer's voice ({@code response.output_audio.delta}) or say scripted audio.
 */
final class FakeOpenAi extends WebSocketListener {

    static final ObjectMapper JSON = new ObjectMapper();

    final List<JsonNode> clientEvents = new CopyOnWriteArrayList<>();
    final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    final CountDownLatch opened = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    private final java.io.ByteArrayOutputStream appended = new java.io.ByteArrayOutputStream();
    private final boolean echo;
    private volatile WebSocket socket;
    volatile String authorization;

    FakeOpenAi(boolean echo) {
        this.echo = echo;
    }

    MockResponse upgrade() {
        return new MockResponse.Builder().webSocketUpgrade(this).build();
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        socket = webSocket;
        authorization = response.request().header("Authorization");
        ObjectNode created = event("session.created");
        created.putObject("session").put("type", "realtime").put("model", "gpt-realtime");
        webSocket.send(created.toString());
        opened.countDown();
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
        JsonNode event;
        try {
            event = JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String type = event.path("type").asText();
        if ("input_audio_buffer.append".equals(type)) {
            byte[] pcm = Base64.getDecoder().decode(event.path("audio").asText());
            synchronized (appended) {
                appended.writeBytes(pcm);
            }
            if (echo) {
                ObjectNode delta = event("response.output_audio.delta");
                delta.put("response_id", "resp_echo").put("item_id", "item_echo").put("output_index", 0)
                        .put("content_index", 0).put("delta", event.path("audio").asText());
                webSocket.send(delta.toString());
            }
            return; // appends are counted, not queued: there are a hundred a second
        }
        clientEvents.add(event);
        inbox.add(event);
        if ("session.update".equals(type)) {
            ObjectNode updated = event("session.updated");
            updated.set("session", event.path("session"));
            webSocket.send(updated.toString());
        }
        if ("conversation.item.create".equals(type)) {
            // As OpenAI does: the item joins the conversation under the client's id, after the last one.
            ObjectNode item = ((ObjectNode) event.path("item")).deepCopy();
            item.put("object", "realtime.item").put("status", "completed");
            for (String kind : List.of("conversation.item.added", "conversation.item.done")) {
                ObjectNode added = event(kind);
                if (lastItemId == null) {
                    added.putNull("previous_item_id");
                } else {
                    added.put("previous_item_id", lastItemId);
                }
                added.set("item", item.deepCopy());
                webSocket.send(added.toString());
            }
            lastItemId = item.path("id").asText();
        }
    }

    /** The id of the last item created by the client (the next item's previous_item_id). */
    volatile String lastItemId;

    /** Cuts the connection at the TCP level, without a close frame, as a network failure does. */
    void drop() {
        // A server-side OkHttp WebSocket has no call to cancel: cut its socket underneath it.
        try {
            java.lang.reflect.Field field = socket.getClass().getDeclaredField("socket");
            field.setAccessible(true);
            Object raw = field.get(socket);
            raw.getClass().getMethod("cancel").invoke(raw);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot cut the fake's socket", e);
        }
    }

    /** Closes the socket from OpenAI's side with this code. */
    void closeWith(int code, String reason) {
        socket.close(code, reason);
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
        throw new IllegalStateException("the bridge sends text events only");
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        webSocket.close(1000, null);
        closed.countDown();
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
        closed.countDown();
    }

    void send(ObjectNode event) {
        socket.send(event.toString());
    }

    /** The candidate's audio received so far, PCM16 24 kHz. */
    short[] appendedAudio() {
        byte[] bytes;
        synchronized (appended) {
            bytes = appended.toByteArray();
        }
        short[] samples = new short[bytes.length / 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
        return samples;
    }

    /** Sends an assistant item's audio (24 kHz) as GA deltas of {@code chunkMs}, as fast as OpenAI does. */
    void say(String itemId, short[] pcm24k, int chunkMs, boolean done) {
        int chunk = 24 * chunkMs;
        for (int from = 0; from < pcm24k.length; from += chunk) {
            int n = Math.min(chunk, pcm24k.length - from);
            ByteBuffer bytes = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                bytes.putShort(pcm24k[from + i]);
            }
            ObjectNode delta = event("response.output_audio.delta");
            delta.put("response_id", "resp_1").put("item_id", itemId).put("output_index", 0).put("content_index", 0)
                    .put("delta", Base64.getEncoder().encodeToString(bytes.array()));
            send(delta);
        }
        if (done) {
            ObjectNode audioDone = event("response.output_audio.done");
            audioDone.put("response_id", "resp_1").put("item_id", itemId).put("output_index", 0)
                    .put("content_index", 0);
            send(audioDone);
        }
    }

    JsonNode await(Predicate<JsonNode> wanted, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            JsonNode next = inbox.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("OpenAI's side received no matching event; it has " + clientEvents);
            }
            if (wanted.test(next)) {
                return next;
            }
        }
    }

    JsonNode awaitType(String type, long millis) throws InterruptedException {
        return await(e -> type.equals(e.path("type").asText()), millis);
    }

    List<JsonNode> ofType(String type) {
        return clientEvents.stream().filter(e -> type.equals(e.path("type").asText())).toList();
    }

    static ObjectNode event(String type) {
        ObjectNode event = JSON.createObjectNode();
        event.put("type", type);
        event.put("event_id", "event_" + Long.toHexString(System.nanoTime()));
        return event;
    }
}
