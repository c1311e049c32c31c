package ai.interviewinsights.adapters.openai;

import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's own WebSocket to one live call ({@code /v1/realtime?call_id=...}), kept open for as long as the call
 * lasts.
 *
 * <p>Every callback of every connection is handed to one thread of this sideband, in arrival order, so the listener
 * sees the call's events in the order OpenAI sent them, one at a time, on one thread, across reconnects; each event
 * is stamped with the injected clock when it arrives.
 *
 * <p>When the socket drops (a network failure, or OpenAI closing it), it is reopened after an exponential backoff
 * with jitter. Reopening tells whether the call is still live: a refused handshake (404, or any 4xx but 408 and 429)
 * means the call is over, and the listener receives one final {@link RealtimeEvent.CallEnded}. So does a sideband
 * that stays disconnected for longer than {@link OpenAiConfig.Reconnect#giveUpAfter()}. {@link #close()} only stops
 * listening (the port's contract): it neither ends the call nor reports an end.
 *
 * <p>Events repeated with the same {@code event_id} (a replay after reconnecting) are delivered once.
 *
 * <p>OpenAI lets the browser's own {@code session.update} override the session's settings. When the sideband knows
 * the server's instructions and a {@code session.updated} shows others, it sends them back at once
 * ({@code session.update} with {@code instructions}) and logs it: the interviewer keeps the server's script whatever
 * the browser sends. Nothing waits for {@code session.created}: OpenAI sends none when joining a call.
 */
final class SidebandConnection implements RealtimeGateway.Sideband {

    private static final Logger LOG = LoggerFactory.getLogger(SidebandConnection.class);
    private static final int REMEMBERED_EVENT_IDS = 4096;

    private final OkHttpClient client;
    private final Request handshake;
    private final RealtimeCallId call;
    private final RealtimeGateway.SidebandListener listener;
    private final Clock clock;
    private final OpenAiConfig.Reconnect policy;
    private final ObjectMapper json;
    private final Redaction redaction;
    private final ScheduledThreadPoolExecutor thread;
    private final String instructions;

    // Touched only on the sideband's thread.
    private final Set<String> seenEventIds = new LinkedHashSet<>();
    private int liveGeneration = -1;
    private int generations;
    private int failedReconnects;
    private long disconnectedSince = -1;

    private final java.util.concurrent.CountDownLatch settled = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean closed;
    private volatile boolean ended;
    private volatile WebSocket socket;

    SidebandConnection(OkHttpClient client, Request handshake, RealtimeCallId call,
                       RealtimeGateway.SidebandListener listener, Clock clock, OpenAiConfig.Reconnect policy,
                       ObjectMapper json, Redaction redaction) {
        this(client, handshake, call, listener, clock, policy, json, redaction, null);
    }

    /** @param instructions the server's instructions to keep in force, or null to leave the session alone */
    SidebandConnection(OkHttpClient client, Request handshake, RealtimeCallId call,
                       RealtimeGateway.SidebandListener listener, Clock clock, OpenAiConfig.Reconnect policy,
                       ObjectMapper json, Redaction redaction, String instructions) {
        this.instructions = instructions;
        this.client = client;
        this.handshake = handshake;
        this.call = call;
        this.listener = listener;
        this.clock = clock;
        this.policy = policy;
        this.json = json;
        this.redaction = redaction;
        this.thread = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, "openai-sideband-" + call.value());
            t.setDaemon(true);
            return t;
        });
        this.thread.setRemoveOnCancelPolicy(true);
        // A reconnect still waiting when the sideband is closed or ended is dropped, not run.
        this.thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    void open() {
        onThread(this::connect);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        WebSocket current = socket;
        if (current != null) {
            current.close(1000, "sideband closed");
        }
        // No shutdownNow: close() may run on this sideband's own thread, inside the listener.
        thread.shutdown();
        settled.countDown();
        LOG.info("sideband of call {} closed", call);
    }

    /**
     * Waits for the first connection attempt to settle, then for this sideband's thread to have delivered everything
     * that arrived before the call: the events are queued on that one thread in arrival order, so a marker queued
     * now runs after all of them.
     */
    @Override
    public boolean awaitDelivered(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        try {
            if (!settled.await(max.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
            java.util.concurrent.CountDownLatch marker = new java.util.concurrent.CountDownLatch(1);
            try {
                thread.execute(marker::countDown);
            } catch (java.util.concurrent.RejectedExecutionException afterClose) {
                return true; // closed or ended: everything that will ever be delivered has been
            }
            return marker.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void connect() {
        if (closed || ended) {
            return;
        }
        int generation = ++generations;
        liveGeneration = generation;
        WebSocket opened = client.newWebSocket(handshake, new Connection(generation));
        socket = opened;
        if (closed) {
            opened.close(1000, "sideband closed"); // close() ran while this connection was being opened
        }
    }

    private void connected(int generation) {
        if (generation != liveGeneration) {
            return;
        }
        if (disconnectedSince >= 0) {
            LOG.info("sideband of call {} reconnected after {} attempt(s)", call, failedReconnects + 1);
        } else {
            LOG.info("sideband of call {} connected", call);
        }
        failedReconnects = 0;
        disconnectedSince = -1;
        settled.countDown();
    }

    private void received(int generation, String text, Instant at) {
        if (closed || ended || generation != liveGeneration) {
            return;
        }
        JsonNode event;
        try {
            event = json.readTree(text);
        } catch (IOException e) {
            LOG.warn("sideband of call {}: ignoring a message that is not JSON", call);
            return;
        }
        if (event == null || !event.isObject()) {
            LOG.warn("sideband of call {}: ignoring a message that is not a JSON object", call);
            return;
        }
        JsonNode eventId = event.path("event_id");
        if (eventId.isTextual() && !remember(eventId.asText())) {
            LOG.debug("sideband of call {}: dropping repeated event {}", call, eventId.asText());
            return;
        }
        if ("session.updated".equals(event.path("type").asText())) {
            keepInstructions(event.path("session").path("instructions"));
        }
        Optional<RealtimeEvent> mapped = ServerEvents.map(event, TranscriptSource.SIDEBAND, at, redaction);
        mapped.ifPresent(this::deliver);
    }

    /** A session now running on other instructions than the server's gets the server's back. */
    private void keepInstructions(JsonNode effective) {
        WebSocket live = socket;
        if (instructions == null || !effective.isTextual() || effective.asText().equals(instructions) || live == null) {
            return;
        }
        com.fasterxml.jackson.databind.node.ObjectNode update = json.createObjectNode();
        update.put("type", "session.update");
        update.putObject("session").put("type", "realtime").put("instructions", instructions);
        live.send(update.toString());
        LOG.warn("sideband of call {}: the session's instructions were changed from outside (the browser's"
                + " session.update); re-asserted the server's", call);
    }

    /**
     * The connection of this generation is gone. A refused handshake says the call is over; anything else is a drop
     * of a live call, answered by reconnecting.
     */
    private void disconnected(int generation, int refusedWith, boolean orderly, String why) {
        if (closed || ended || generation != liveGeneration) {
            return;
        }
        liveGeneration = -1;
        socket = null;
        settled.countDown(); // the first attempt failed: nothing is on its way
        if (refusedWith >= 400 && refusedWith < 500 && refusedWith != 408 && refusedWith != 429) {
            end(refusedWith == 404 || refusedWith == 410 ? "the call is over"
                    : "OpenAI refused the sideband connection (" + refusedWith + ")");
            return;
        }
        long now = System.nanoTime();
        if (disconnectedSince < 0) {
            disconnectedSince = now;
        } else if (now - disconnectedSince > policy.giveUpAfter().toNanos()) {
            end("the sideband stayed disconnected for longer than " + policy.giveUpAfter().toSeconds() + " s");
            return;
        }
        Duration wait = backoff(failedReconnects++);
        if (orderly) {
            LOG.info("sideband of call {} {}; reconnecting in {} ms to learn whether the call goes on", call, why,
                    wait.toMillis());
        } else {
            LOG.warn("sideband of call {} dropped ({}); reconnecting in {} ms", call, why, wait.toMillis());
        }
        thread.schedule(this::connect, wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Exponential, capped, with "equal jitter": between half and all of the computed wait. */
    private Duration backoff(int attempt) {
        long initial = policy.initialBackoff().toNanos();
        long max = policy.maxBackoff().toNanos();
        long computed = attempt >= 30 ? max : Math.min(max, initial << attempt);
        long half = computed / 2;
        return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    private void end(String reason) {
        if (ended) {
            return;
        }
        ended = true;
        settled.countDown();
        LOG.info("sideband of call {}: {}", call, reason);
        deliver(new RealtimeEvent.CallEnded(reason, TranscriptSource.SIDEBAND, clock.instant()));
        WebSocket current = socket;
        if (current != null) {
            current.cancel();
        }
        thread.shutdown();
    }

    private void deliver(RealtimeEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            // The listener's failure is its own; the call's other events must still reach it.
            LOG.warn("sideband of call {}: the listener failed on a {} event: {}", call,
                    event.getClass().getSimpleName(), e.toString());
        }
    }

    private boolean remember(String eventId) {
        if (!seenEventIds.add(eventId)) {
            return false;
        }
        if (seenEventIds.size() > REMEMBERED_EVENT_IDS) {
            Iterator<String> oldest = seenEventIds.iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    private void onThread(Runnable task) {
        try {
            thread.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException afterClose) {
            // closed or ended: nothing more is delivered
        }
    }

    @Override
    public String toString() {
        return "SidebandConnection[" + call + (closed ? ", closed" : ended ? ", ended" : "") + "]";
    }

    /** The callbacks of one connection attempt, all passed to the sideband's thread. */
    private final class Connection extends WebSocketListener {

        private final int generation;

        Connection(int generation) {
            this.generation = generation;
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            onThread(() -> connected(generation));
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            Instant at = clock.instant();
            onThread(() -> received(generation, text, at));
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            webSocket.close(1000, null);
            onThread(() -> disconnected(generation, -1, code == 1000, "was closed by OpenAI (" + code + ")"));
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            onThread(() -> disconnected(generation, -1, code == 1000, "was closed (" + code + ")"));
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
            int status = response == null ? -1 : response.code();
            if (response != null) {
                response.close();
            }
            String why = status > 0 ? "handshake answered " + status : failure.getClass().getSimpleName();
            onThread(() -> disconnected(generation, status, false, why));
        }
    }
}
