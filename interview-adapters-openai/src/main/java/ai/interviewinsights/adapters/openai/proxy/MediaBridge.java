package ai.interviewinsights.adapters.openai.proxy;

import ai.interviewinsights.adapters.openai.media.Resampler;
import ai.interviewinsights.adapters.openai.webrtc.AnsweringPeer;
import ai.interviewinsights.adapters.openai.webrtc.Pacer;
import ai.interviewinsights.adapters.openai.webrtc.WebRtcEngine;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied call: the browser's WebRTC peer on one side, OpenAI's Realtime WebSocket transport on the other.
 *
 * <ul>
 *   <li>Up: the candidate's audio from the track (48 kHz) is resampled to PCM16 24 kHz and sent as
 *       {@code input_audio_buffer.append}, one event per 10 ms frame.</li>
 *   <li>Down: {@code response.output_audio.delta} (24 kHz) is resampled to 48 kHz per item, queued in the
 *       {@link Playout} and pushed to the track in 10 ms frames by a fixed-rate ticker (drift-free: the schedule is
 *       anchored to its start, not to the previous tick).</li>
 *   <li>Barge-in: on {@code input_audio_buffer.speech_started} playback stops at once, the queue is dropped, and
 *       exactly one {@code conversation.item.truncate} goes to OpenAI with the audio the candidate actually heard
 *       (never more than arrived). OpenAI's server VAD cancels the response itself.</li>
 *   <li>Events: every server event but the audio deltas goes to the browser's {@code oai-events} (the page shows the
 *       live transcript as in the hybrid architecture); the browser's client events pass the
 *       {@link ClientEventFilter}; the server events are also mapped to the domain's events and handed to the runner,
 *       in order, on one thread, as the sideband does in the hybrid architecture.</li>
 *   <li>Reconnect (ADR 0023): OpenAI's socket dropping mid-call is not the end of the interview. The bridge tells the
 *       page ({@code proxy.upstream_status} {@code reconnecting}), drops the candidate's audio and flushes playout
 *       while it has no socket, finishes the turns the lost socket left open (a reply cut short is TRUNCATED at the
 *       audio heard), and tries new sockets with bounded backoff ({@link ProxyOptions.Reconnect}); a new socket gets
 *       the same {@code session.update}, the conversation so far as {@code conversation.item.create} messages
 *       ({@link ConversationSoFar}) and, when an answer was owed, {@code response.create}. Our own close and a
 *       refusal are never retried.</li>
 *   <li>End: OpenAI's socket lost for good (every attempt failed, or a refusal) ends the call cleanly (the browser
 *       gets an {@code error} event {@code proxy.upstream_lost}, the runner a {@link RealtimeEvent.CallEnded}, the
 *       operator an {@link UpstreamIncident}); so does the browser's connection failing. The transcript kept so far
 *       stays with the runner.</li>
 * </ul>
 */
final class MediaBridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MediaBridge.class);
    private static final int OPENAI_RATE = 24_000;
    private static final int BROWSER_BACKLOG = 512;

    private final RealtimeCallId id;
    private final RealtimeSessionConfig config;
    private final Upstream upstream;
    private final ProxyOptions options;
    private final ScheduledExecutorService ticker;
    private final BridgeStats stats;
    private final ClientEventFilter filter;
    private final AnsweringPeer leg;
    private final Playout playout;
    /** The runner's events, in order: the listener and the browser's client events run here. */
    private final ExecutorService serial;
    private final CompletableFuture<Void> socketOpen = new CompletableFuture<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final List<RealtimeEvent> pending = new ArrayList<>();
    /** Server events for a page whose data channel is not open yet (bounded: a page that never opens it). */
    private final List<String> browserBacklog = new ArrayList<>();
    private final Map<String, Resampler> itemResamplers = new HashMap<>();
    private final AtomicLong framesUp = new AtomicLong();
    private final AtomicLong truncations = new AtomicLong();
    private RealtimeGateway.SidebandListener listener;
    private volatile WebSocket socket;
    private volatile Pacer.Pacing pacing;
    private volatile boolean dataChannelOpen;
    private Resampler up;
    private int upRate;
    /** Both sides of the call when recording is on, else null; dropped (set null) if writing it fails. */
    private volatile CallRecording recording;
    /** What was said, for a reconnect (ADR 0023); fed and read under its own lock, on OpenAI's reader threads. */
    private final ConversationSoFar conversation = new ConversationSoFar();
    /** Which of OpenAI's sockets is the current one: events of an older one are ignored. Changed under reconnectLock. */
    private volatile int generation;
    /** The current socket is open and configured: the candidate's audio and the page's events go to it only then. */
    private volatile boolean upstreamReady;
    /** Whether the new socket must be asked for a response (a reply was cut, or the candidate had just spoken). */
    private volatile boolean replyOwed;
    private final Object reconnectLock = new Object();
    private boolean reconnecting;
    private int attemptsUsed;
    private long droppedAtNanos;
    private long upSinceNanos;
    private String dropCause = "";
    private volatile Tap tap = Tap.NONE;

    /**
     * Test seam: the bridge's own output, as it makes it, so that a test can hold it against its input sample by
     * sample, apart from what a receiver's jitter buffer (the browser's, or this peer's for the candidate's audio)
     * made of it under load. Called on the audio and ticker threads; must return at once. The product never sets one.
     */
    interface Tap {
        Tap NONE = new Tap() {
        };

        /** A frame of the candidate's audio taken from the track and bridged (before it is resampled to 24 kHz). */
        default void bridged(short[] mono, int rate) {
        }

        /** A frame of the candidate's audio dropped because no socket to OpenAI was open (yet, or while it reconnects). */
        default void dropped(short[] mono, int rate) {
        }

        /** A 10 ms frame (48 kHz) the playout handed to the browser's track, silence included. */
        default void played(short[] frame48k) {
        }
    }

    void tap(Tap observer) {
        tap = observer;
    }

    MediaBridge(RealtimeCallId id, RealtimeSessionConfig config, Upstream upstream, ProxyOptions options,
                ScheduledExecutorService ticker, BridgeStats stats) {
        this.id = id;
        this.config = config;
        this.upstream = upstream;
        this.options = options;
        this.ticker = ticker;
        this.stats = stats;
        this.filter = new ClientEventFilter(upstream.json());
        this.playout = new Playout(WebRtcEngine.FRAME_SAMPLES, options.prebufferMs());
        this.serial = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "proxy-" + id.value());
            t.setDaemon(true);
            return t;
        });
        this.leg = new AnsweringPeer(WebRtcEngine.shared(), new FromBrowser());
        if (options.recording() != null && wanted(options.recording())) {
            this.recording = new CallRecording(options.recording().directory().resolve(id.value() + ".wav"),
                    System.nanoTime());
        }
    }

    RealtimeCallId id() {
        return id;
    }

    /** Whether this call is recorded; a recorder that cannot say records nothing (the call goes on). */
    private boolean wanted(ProxyOptions.CallAudio recording) {
        try {
            return recording.wanted().getAsBoolean();
        } catch (RuntimeException e) {
            LOG.warn("proxied call {}: whether to record it is unknown ({}); not recorded", id, e.toString());
            return false;
        }
    }

    /**
     * Opens OpenAI's socket (configured with the interview's session), then answers the browser's offer. OpenAI first:
     * a browser must not be told it is connected to an interviewer that cannot be reached.
     *
     * @return the SDP answer
     * @throws DomainException {@code UNAVAILABLE proxy.upstream_unreachable} when OpenAI's socket does not open,
     *                         {@code UPSTREAM_FAILED proxy.upstream_refused} when OpenAI refuses it,
     *                         {@code INVALID proxy.*} when the offer cannot be bridged
     */
    String start(String offer) {
        socket = upstream.client().newWebSocket(upstream.handshake().apply(config.model()), new FromOpenAi(0));
        try {
            socketOpen.get(options.answerTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            close();
            throw DomainException.unavailable("proxy.upstream_unreachable", "OpenAI's realtime WebSocket did not open"
                    + " within " + options.answerTimeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw DomainException.unavailable("proxy.upstream_unreachable", "interrupted");
        } catch (Exception e) {
            close();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof DomainException domain ? domain
                    : DomainException.unavailable("proxy.upstream_unreachable", "OpenAI's realtime WebSocket failed"
                    + " to open: " + upstream.scrub().apply(String.valueOf(cause.getMessage())));
        }
        try {
            AnsweringPeer.Answer answered = leg.answer(offer, options.answerTimeout(), true);
            if (answered.offered().video()) {
                LOG.info("call {}: the browser offered video; declined (voice only)", id);
            }
            if (!answered.offered().dataChannel()) {
                LOG.info("call {}: the offer has no data channel; audio only, no live events for the page", id);
            }
            return answered.sdp();
        } catch (AnsweringPeer.PeerException e) {
            close();
            throw DomainException.invalid("proxy." + e.code(), "the browser's offer cannot be bridged: "
                    + e.getMessage());
        }
    }

    /** Hands the call's events to the runner, the ones that came before first. */
    void attach(RealtimeGateway.SidebandListener newListener) {
        runSerially(() -> {
            listener = newListener;
            List<RealtimeEvent> earlier = new ArrayList<>(pending);
            pending.clear();
            earlier.forEach(this::deliver);
        });
    }

    void detach(RealtimeGateway.SidebandListener old) {
        runSerially(() -> {
            if (listener == old) {
                listener = null;
            }
        });
    }

    boolean ended() {
        return ended.get();
    }

    long truncations() {
        return truncations.get();
    }

    long framesUp() {
        return framesUp.get();
    }

    /** Milliseconds of the interviewer's voice pushed into the browser's track. */
    long voicedMillisPushed() {
        return leg.voicedMillisPushed();
    }

    long playbackGaps() {
        return playout.gaps();
    }

    /** Hangs up: OpenAI's socket closes normally, the browser's peer closes, the ticker stops. No event is sent. */
    @Override
    public void close() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        stopTicks();
        WebSocket open = socket;
        if (open != null) {
            open.close(1000, "call ended");
        }
        leg.close();
        serial.shutdown();
        finishRecording();
        LOG.info("proxied call {} closed", id);
    }

    /** Feeds the recording, if any; a recording that cannot be written is given up, never the call. */
    private void record(java.util.function.Consumer<CallRecording> step) {
        CallRecording current = recording;
        if (current == null) {
            return;
        }
        try {
            step.accept(current);
        } catch (RuntimeException e) {
            recording = null;
            LOG.warn("proxied call {}: its audio can no longer be recorded: {}", id, e.toString());
            try {
                current.finish();
            } catch (RuntimeException ignored) {
                // the file is incomplete either way
            }
        }
    }

    private void finishRecording() {
        CallRecording current = recording;
        recording = null;
        if (current == null) {
            return;
        }
        try {
            options.recording().recorded().accept(current.finish());
        } catch (RuntimeException e) {
            LOG.warn("proxied call {}: finishing its audio recording failed: {}", id, e.toString());
        }
    }

    // ---- the browser's side ----------------------------------------------------------------------------------

    private final class FromBrowser implements AnsweringPeer.Listener {
        @Override
        public void connected() {
            if (ended.get()) {
                return;
            }
            LOG.info("proxied call {}: browser connected", id);
            pacing = Pacer.start(ticker, leg, MediaBridge.this::nextFrame, () -> {
            });
            if (ended.get()) {
                stopTicks(); // closed meanwhile
            }
        }

        @Override
        public void eventsOpen() {
            synchronized (browserBacklog) {
                if (dataChannelOpen) {
                    return;
                }
                browserBacklog.forEach(leg::send);
                browserBacklog.clear();
                dataChannelOpen = true;
            }
        }

        @Override
        public void event(String text) {
            if (!ended.get()) {
                try {
                    serial.execute(() -> fromBrowser(text));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    LOG.debug("call {} is over; a browser event arrived late", id);
                }
            }
        }

        @Override
        public void audio(short[] mono, int rate) {
            uplink(mono, rate);
        }

        @Override
        public void disconnected(boolean terminal, String why) {
            if (terminal) { // an interruption is not final: ICE may recover by itself
                endCall("browser_left", why);
            }
        }
    }

    /**
     * The pacer's next frame for the browser's track (never null: silence between turns keeps the track's clock
     * running); the pacer holds it back, without asking, while another connection is settling.
     */
    private short[] nextFrame(long now) {
        Playout.Frame frame = playout.next(now);
        tap.played(frame.samples());
        record(r -> r.played(frame.samples(), now));
        if (frame.itemStartWaitNanos() >= 0) {
            stats.firstAudio(frame.itemStartWaitNanos());
        }
        return frame.samples();
    }

    /** Runs on WebRTC's audio thread, one frame at a time. */
    private void uplink(short[] mono, int rate) {
        long started = System.nanoTime();
        WebSocket open = socket;
        if (ended.get() || open == null || !socketOpen.isDone() || !upstreamReady) {
            tap.dropped(mono, rate);
            return; // no socket to OpenAI (yet, or while it reconnects): the audio is dropped, never queued
        }
        if (up == null || upRate != rate) {
            up = new Resampler(rate, OPENAI_RATE);
            upRate = rate;
        }
        tap.bridged(mono, rate);
        short[] samples = up.process(mono);
        if (samples.length == 0) {
            return;
        }
        record(r -> r.heard(samples, started));
        ByteBuffer bytes = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asShortBuffer().put(samples);
        ObjectNode append = upstream.json().createObjectNode();
        append.put("type", "input_audio_buffer.append");
        append.put("audio", Base64.getEncoder().encodeToString(bytes.array()));
        open.send(append.toString());
        framesUp.incrementAndGet();
        stats.up(System.nanoTime() - started);
    }

    private void fromBrowser(String text) {
        ClientEventFilter.Verdict verdict = filter.judge(text);
        if (verdict instanceof ClientEventFilter.Verdict.Forward forward) {
            WebSocket open = socket;
            if (open != null && !ended.get() && upstreamReady) {
                open.send(forward.text());
            } else if (!ended.get()) {
                LOG.info("proxied call {}: a browser event arrived while OpenAI's socket reconnects; dropped", id);
            }
        } else if (verdict instanceof ClientEventFilter.Verdict.Refuse refuse) {
            leg.send(refuse.error().toString());
            refuse.audit().ifPresent(refused -> {
                LOG.warn("proxied call {}: refused a browser {} ({}, fields {})", id, refused.type(),
                        refused.reason(), refused.fields());
                try {
                    options.audit().accept(refused);
                } catch (RuntimeException e) {
                    LOG.warn("proxied call {}: the audit callback failed: {}", id, e.toString());
                }
            });
        }
    }

    // ---- OpenAI's side ---------------------------------------------------------------------------------------

    private final class FromOpenAi extends WebSocketListener {
        /** 0 for the call's first socket, then one more for each reconnect attempt. */
        private final int generation;
        private volatile boolean opened;

        FromOpenAi(int generation) {
            this.generation = generation;
        }

        private boolean stale() {
            return generation != MediaBridge.this.generation;
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            opened = true;
            if (generation > 0) {
                reopened(webSocket, generation);
                return;
            }
            webSocket.send(sessionUpdate().toString());
            synchronized (reconnectLock) {
                upSinceNanos = System.nanoTime();
            }
            upstreamReady = true;
            socketOpen.complete(null);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            if (ended.get() || stale()) {
                return;
            }
            JsonNode event;
            try {
                event = upstream.json().readTree(text);
            } catch (Exception e) {
                LOG.warn("proxied call {}: OpenAI sent a message that is not JSON; ignored", id);
                return;
            }
            if (event == null || !event.isObject()) {
                return;
            }
            try {
                fromOpenAi(event, text);
            } catch (RuntimeException e) {
                // One event the bridge could not handle must not end the interview.
                LOG.warn("proxied call {}: a {} event could not be handled: {}", id, event.path("type").asText(""),
                        e.toString());
            }
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            webSocket.close(1000, null);
            if (!stale()) {
                upstreamClosed(code);
            }
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            if (stale() || ended.get() && socketOpen.isDone()) {
                return; // an older socket, or our own close
            }
            if (generation > 0 && !opened) {
                attemptFailed(generation, response == null ? 0 : response.code());
                return;
            }
            if (!socketOpen.isDone()) {
                int status = response == null ? 0 : response.code();
                socketOpen.completeExceptionally(status >= 400 && status < 500 && status != 408 && status != 429
                        ? new DomainException(ErrorKind.UPSTREAM_FAILED, "proxy.upstream_refused", "OpenAI refused the realtime"
                        + " WebSocket (HTTP " + status + ")")
                        : DomainException.unavailable("proxy.upstream_unreachable", "OpenAI's realtime WebSocket"
                        + " failed to open" + (status == 0 ? "" : " (HTTP " + status + ")")));
                return;
            }
            LOG.warn("proxied call {}: OpenAI's socket failed: {}", id,
                    upstream.scrub().apply(String.valueOf(t.getMessage())));
            upstreamDropped("socket_failed");
        }
    }

    /** The interview's session as the hybrid relay sends it, with the WebSocket's audio formats spelled out. */
    private ObjectNode sessionUpdate() {
        ObjectNode session = upstream.session().apply(config);
        // The model is chosen by the URL (?model=); GA sessions are "realtime" type.
        session.remove("model");
        ObjectNode audio = session.with("audio");
        audio.with("input").putObject("format").put("type", "audio/pcm").put("rate", OPENAI_RATE);
        audio.with("output").putObject("format").put("type", "audio/pcm").put("rate", OPENAI_RATE);
        ObjectNode update = upstream.json().createObjectNode();
        update.put("type", "session.update");
        update.set("session", session);
        return update;
    }

    /** On OkHttp's reader thread, in the order OpenAI sent them. */
    private void fromOpenAi(JsonNode event, String text) {
        if (seededEcho(event)) {
            return; // a turn we re-created after a reconnect: already in the transcript and on the page
        }
        String type = event.path("type").asText("");
        switch (type) {
            case "response.output_audio.delta" -> {
                audioDelta(event);
                return; // the audio goes on the track, not on the data channel
            }
            case "response.output_audio.done" -> audioDone(event.path("item_id").asText(""));
            case "input_audio_buffer.speech_started" -> bargeIn();
            default -> {
            }
        }
        toBrowser(text);
        toRunner(event);
    }

    /** Server events reach the page in order, the ones sent before its data channel opened included. */
    private void toBrowser(String text) {
        if (dataChannelOpen) {
            leg.send(text);
            return;
        }
        synchronized (browserBacklog) {
            if (dataChannelOpen) {
                leg.send(text);
            } else if (browserBacklog.size() < BROWSER_BACKLOG) {
                browserBacklog.add(text);
            }
        }
    }

    private void audioDelta(JsonNode event) {
        long arrived = System.nanoTime();
        String itemId = event.path("item_id").asText("");
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(event.path("delta").asText(""));
        } catch (IllegalArgumentException e) {
            LOG.warn("proxied call {}: an audio delta is not base64; dropped", id);
            return;
        }
        short[] pcm = new short[bytes.length / 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(pcm);
        short[] out;
        synchronized (itemResamplers) {
            out = itemResamplers.computeIfAbsent(itemId, k -> new Resampler(OPENAI_RATE, WebRtcEngine.RATE))
                    .process(pcm);
        }
        playout.enqueue(itemId, out, pcm.length, arrived);
        stats.down(System.nanoTime() - arrived);
    }

    private void audioDone(String itemId) {
        Resampler resampler;
        synchronized (itemResamplers) {
            resampler = itemResamplers.remove(itemId);
        }
        if (resampler != null) {
            playout.enqueue(itemId, resampler.flush(), 0, System.nanoTime());
        }
        playout.complete(itemId);
    }

    private void bargeIn() {
        synchronized (itemResamplers) {
            itemResamplers.clear();
        }
        playout.interrupt().ifPresent(cut -> {
            ObjectNode truncate = upstream.json().createObjectNode();
            truncate.put("type", "conversation.item.truncate");
            truncate.put("item_id", cut.itemId());
            truncate.put("content_index", 0);
            truncate.put("audio_end_ms", cut.audioEndMs());
            WebSocket open = socket;
            if (open != null) {
                open.send(truncate.toString());
                truncations.incrementAndGet();
                LOG.info("proxied call {}: barge-in, truncated item {} at {} ms", id, cut.itemId(), cut.audioEndMs());
            }
        });
    }

    // ---- reconnecting to OpenAI (ADR 0023) ------------------------------------------------------------------------

    /** The runner's events, with what a reconnect needs taken note of, and seeded ids mapped back to their turns. */
    private void toRunner(JsonNode event) {
        upstream.events().apply(event, upstream.clock().instant()).ifPresent(raw -> {
            RealtimeEvent mapped;
            synchronized (conversation) {
                mapped = raw;
                if (raw instanceof RealtimeEvent.ItemAdded added && conversation.isSeeded(added.previousItemId())) {
                    mapped = new RealtimeEvent.ItemAdded(added.itemId(), conversation.original(added.previousItemId()),
                            added.speaker(), added.text(), added.source(), added.receivedAt());
                }
                conversation.accept(mapped);
            }
            RealtimeEvent delivered = mapped;
            runSerially(() -> deliver(delivered));
        });
    }

    /** Whether an event is about one of the turns re-created on this socket (its echo, not a new turn). */
    private boolean seededEcho(JsonNode event) {
        String itemId = event.path("item").path("id").asText(null);
        if (itemId == null) {
            itemId = event.path("item_id").asText(null);
        }
        synchronized (conversation) {
            return conversation.isSeeded(itemId);
        }
    }

    /** OpenAI closed the socket: a refusal ends the call, anything else is a drop to recover from. */
    private void upstreamClosed(int code) {
        boolean refusal = code >= 4000 && code <= 4999 || code == 1002 || code == 1003 || code == 1007
                || code == 1008 || code == 1009 || code == 1010;
        if (refusal) {
            giveUp("closed_" + code, "OpenAI closed the socket (" + code + "): a refusal, not retried");
        } else {
            upstreamDropped("closed_" + code);
        }
    }

    /**
     * The current socket is gone without our asking: stop using it, finish what it left open, tell the page, and try
     * again (or give up when the policy's attempts are spent). Runs on the lost socket's reader thread.
     */
    private void upstreamDropped(String cause) {
        if (ended.get()) {
            return;
        }
        boolean exhausted;
        synchronized (reconnectLock) {
            if (reconnecting) {
                return;
            }
            long now = System.nanoTime();
            if (now - upSinceNanos > options.reconnect().window().toNanos()) {
                attemptsUsed = 0; // the last socket held: a new drop gets the whole policy again
            }
            exhausted = attemptsUsed >= options.reconnect().attempts();
            reconnecting = true;
            droppedAtNanos = now;
            dropCause = cause;
        }
        upstreamReady = false;
        if (exhausted) {
            giveUp(cause, "OpenAI's socket dropped (" + cause + ") and the reconnect policy allows no attempt");
            return;
        }
        LOG.warn("proxied call {}: OpenAI's socket dropped ({}); reconnecting", id, cause);
        Optional<Playout.Cut> cut;
        synchronized (itemResamplers) {
            itemResamplers.clear();
        }
        cut = playout.interrupt();
        List<RealtimeEvent> closing;
        synchronized (conversation) {
            replyOwed = conversation.replyInFlight() || cut.isPresent() || conversation.candidateSpokeLast();
            closing = conversation.closeOut(cut, upstream.clock().instant());
        }
        closing.forEach(event -> runSerially(() -> deliver(event)));
        toBrowser(upstreamStatus("reconnecting").put("max_attempts", options.reconnect().attempts()).toString());
        scheduleAttempt();
    }

    /** The next attempt after its backoff, or the end when none is left within the window. */
    private void scheduleAttempt() {
        int attempt;
        long delayNanos;
        synchronized (reconnectLock) {
            long elapsed = System.nanoTime() - droppedAtNanos;
            attempt = attemptsUsed + 1;
            delayNanos = options.reconnect().backoff(attempt).toNanos();
            if (attempt > options.reconnect().attempts()
                    || elapsed + delayNanos >= options.reconnect().window().toNanos()) {
                attempt = -1;
            } else {
                attemptsUsed = attempt;
            }
        }
        if (attempt < 0) {
            giveUp(dropCause, "OpenAI's socket could not be reopened (" + attemptsUsed + " attempts)");
            return;
        }
        int n = attempt;
        try {
            ticker.schedule(() -> attempt(n), delayNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            giveUp(dropCause, "the bridge is shutting down");
        }
    }

    /** Opens a new socket; its listener carries on in {@link #reopened} or {@link #attemptFailed}. */
    private void attempt(int n) {
        if (ended.get()) {
            return;
        }
        int gen;
        long remaining;
        synchronized (reconnectLock) {
            gen = ++generation;
            remaining = options.reconnect().window().toNanos() - (System.nanoTime() - droppedAtNanos);
        }
        LOG.info("proxied call {}: reconnect attempt {} of {}", id, n, options.reconnect().attempts());
        WebSocket next = upstream.client().newWebSocket(upstream.handshake().apply(config.model()),
                new FromOpenAi(gen));
        socket = next;
        long timeout = Math.max(TimeUnit.MILLISECONDS.toNanos(200),
                Math.min(options.answerTimeout().toNanos(), remaining));
        try {
            ticker.schedule(() -> {
                if (gen == generation && !upstreamReady && !ended.get()) {
                    next.cancel(); // its onFailure counts the attempt
                }
            }, timeout, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            next.cancel();
        }
    }

    /** A reconnect attempt failed before the socket opened. */
    private void attemptFailed(int gen, int status) {
        if (ended.get() || gen != generation) {
            return;
        }
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            giveUp("refused_" + status, "OpenAI refused the new socket (HTTP " + status + "): not retried");
            return;
        }
        LOG.info("proxied call {}: reconnect attempt failed{}", id, status == 0 ? "" : " (HTTP " + status + ")");
        scheduleAttempt();
    }

    /**
     * A new socket is open: configured exactly as the first one, told the conversation so far, asked for the answer
     * it owes; then the candidate's audio flows to it again and the page is told.
     */
    private void reopened(WebSocket webSocket, int gen) {
        if (ended.get() || gen != generation) {
            webSocket.close(1000, "superseded");
            return;
        }
        socket = webSocket;
        webSocket.send(sessionUpdate().toString());
        List<ObjectNode> seeds;
        synchronized (conversation) {
            seeds = conversation.seed(upstream.json());
        }
        seeds.forEach(create -> webSocket.send(create.toString()));
        if (replyOwed) {
            webSocket.send(upstream.json().createObjectNode().put("type", "response.create").toString());
        }
        int attempts;
        String cause;
        synchronized (reconnectLock) {
            reconnecting = false;
            upSinceNanos = System.nanoTime();
            attempts = attemptsUsed;
            cause = dropCause;
        }
        upstreamReady = true;
        LOG.warn("proxied call {}: OpenAI's socket is back after {} attempt(s); {} turn(s) re-created", id, attempts,
                seeds.size());
        toBrowser(upstreamStatus("reconnected").put("attempts", attempts).toString());
        incident(new UpstreamIncident(UpstreamIncident.RECONNECTED, id.value(), attempts, cause));
    }

    /** No socket to OpenAI any more: the call ends as it did before reconnects existed, and the operator is told. */
    private void giveUp(String cause, String why) {
        int attempts;
        synchronized (reconnectLock) {
            reconnecting = true; // nothing retries behind the end
            attempts = attemptsUsed;
        }
        upstreamReady = false;
        if (ended.get()) {
            return;
        }
        incident(new UpstreamIncident(UpstreamIncident.LOST, id.value(), attempts, cause));
        upstreamGone(why);
    }

    private ObjectNode upstreamStatus(String status) {
        ObjectNode event = upstream.json().createObjectNode();
        event.put("type", "proxy.upstream_status");
        event.put("status", status);
        return event;
    }

    private void incident(UpstreamIncident incident) {
        try {
            options.incidents().accept(incident);
        } catch (RuntimeException e) {
            LOG.warn("proxied call {}: the incident callback failed: {}", id, e.toString());
        }
    }

    private void upstreamGone(String why) {
        if (ended.get()) {
            return;
        }
        ObjectNode error = upstream.json().createObjectNode();
        error.put("type", "error");
        ObjectNode body = error.putObject("error");
        body.put("type", "server_error");
        body.put("code", "proxy.upstream_lost");
        body.put("message", "The connection to the interviewer was lost; the interview ends here and what was said"
                + " is kept.");
        toBrowser(error.toString());
        endCall("openai_connection_lost", why);
    }

    /** Ends the call from inside (a side dropped): the runner hears {@link RealtimeEvent.CallEnded}, once. */
    private void endCall(String reason, String why) {
        if (ended.get()) {
            return;
        }
        LOG.warn("proxied call {} ends: {} ({})", id, reason, why);
        stopTicks();
        RealtimeEvent.CallEnded end = new RealtimeEvent.CallEnded(reason, TranscriptSource.SIDEBAND,
                upstream.clock().instant());
        runSerially(() -> deliver(end));
        close();
    }

    private void runSerially(Runnable step) {
        try {
            serial.execute(step);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("call {} already shut down", id);
        }
    }

    private void deliver(RealtimeEvent event) {
        RealtimeGateway.SidebandListener current = listener;
        if (current == null) {
            pending.add(event);
            return;
        }
        try {
            current.onEvent(event);
        } catch (RuntimeException e) {
            LOG.warn("proxied call {}: the runner's listener failed on {}: {}", id,
                    event.getClass().getSimpleName(), e.toString());
        }
    }

    private void stopTicks() {
        Pacer.Pacing running = pacing;
        if (running != null) {
            running.stop();
        }
    }

    @Override
    public String toString() {
        return "MediaBridge[" + id + "]";
    }
}
