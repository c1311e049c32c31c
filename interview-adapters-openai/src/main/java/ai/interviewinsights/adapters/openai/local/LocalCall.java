package ai.interviewinsights.adapters.openai.local;

import ai.interviewinsights.adapters.openai.local.speech.OfflineVoice;
import ai.interviewinsights.adapters.openai.webrtc.AnsweringPeer;
import ai.interviewinsights.adapters.openai.webrtc.WebRtcEngine;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebRTC call of the local endpoint: its peer, its conversation, and the sideband that may watch it. Every server
 * event goes to the data channel and to the sideband alike; client events from either feed the same conversation.
 */
final class LocalCall implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCall.class);
    /** How long the interviewer waits for a sideband before greeting without one. */
    static final Duration GREETING_GRACE = Duration.ofMillis(1500);

    /** A WebSocket that receives the call's events (the sideband). */
    interface EventSocket {
        void send(String text);

        void close(int status, String reason);
    }

    private final String id;
    private final Instant createdAt;
    private final AnsweringPeer peer;
    private final Conversation conversation;
    private final ScheduledExecutorService timers;
    private final AtomicReference<EventSocket> sideband = new AtomicReference<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean eventsOpen = new AtomicBoolean();
    private final AtomicBoolean greetingScheduled = new AtomicBoolean();
    private volatile boolean connected;
    private volatile Instant disconnectedAt;

    LocalCall(String id, SessionConfig session, OfflineVoice voice, WebRtcEngine engine,
              ScheduledExecutorService timers, Clock clock) {
        this.id = id;
        this.createdAt = clock.instant();
        this.timers = timers;
        this.peer = new AnsweringPeer(engine, new PeerListener(clock));
        this.conversation = new Conversation(id, session, voice, new FramePacer(timers, peer), this::broadcast, clock);
    }

    String id() {
        return id;
    }

    Instant createdAt() {
        return createdAt;
    }

    boolean connected() {
        return connected;
    }

    Instant disconnectedAt() {
        return disconnectedAt;
    }

    boolean textMode() {
        return conversation.textMode();
    }

    /** Answers the browser's offer (an offer without audio is answered too: a text-only call). */
    String answer(String offer, Duration timeout) throws AnsweringPeer.PeerException {
        return peer.answer(offer, timeout, false).sdp();
    }

    /** Attaches the sideband; false when one is already attached (a call has one server-side watcher). */
    boolean attachSideband(EventSocket socket) {
        if (ended.get() || !sideband.compareAndSet(null, socket)) {
            return false;
        }
        maybeGreet(false);
        return true;
    }

    void detachSideband(EventSocket socket) {
        sideband.compareAndSet(socket, null);
    }

    void clientEvent(String text, java.util.function.Consumer<ObjectNode> replyTo) {
        conversation.clientEvent(text, replyTo);
    }

    boolean ended() {
        return ended.get();
    }

    private void broadcast(ObjectNode event) {
        if (ended.get()) {
            return;
        }
        String text = event.toString();
        peer.send(text);
        EventSocket watcher = sideband.get();
        if (watcher != null) {
            watcher.send(text);
        }
    }

    private void maybeGreet(boolean graceOver) {
        if (!eventsOpen.get() || !connected || ended.get()) {
            return;
        }
        if (sideband.get() != null || graceOver) {
            conversation.greet();
        } else if (greetingScheduled.compareAndSet(false, true)) {
            timers.schedule(() -> maybeGreet(true), GREETING_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Hangs up: the peer closes, the sideband is closed (which tells its owner to look again and find no call). */
    @Override
    public void close() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        conversation.close();
        peer.close();
        EventSocket watcher = sideband.getAndSet(null);
        if (watcher != null) {
            watcher.close(1000, "call ended");
        }
        LOG.info("call {} ended", id);
    }

    private final class PeerListener implements AnsweringPeer.Listener {
        private final Clock clock;

        PeerListener(Clock clock) {
            this.clock = clock;
        }

        @Override
        public void connected() {
            connected = true;
            disconnectedAt = null;
            LOG.info("call {} connected", id);
            maybeGreet(false);
        }

        @Override
        public void eventsOpen() {
            if (eventsOpen.compareAndSet(false, true)) {
                peer.send(conversation.sessionCreated().toString());
                maybeGreet(false);
            }
        }

        @Override
        public void event(String text) {
            conversation.clientEvent(text, error -> peer.send(error.toString()));
        }

        @Override
        public void audio(short[] mono, int rate) {
            conversation.audio(mono, rate);
        }

        @Override
        public void disconnected(boolean terminal, String why) {
            if (disconnectedAt == null) {
                disconnectedAt = clock.instant();
            }
        }
    }
}
