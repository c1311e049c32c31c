package ai.interviewinsights.adapters.openai.webrtc;

import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of one browser's WebRTC call, for the proxy's browser leg and the local realtime endpoint alike:
 * a webrtc-java peer connection that answers the browser's offer, sends the interviewer's voice through a
 * {@link CustomAudioSource} in 10 ms frames (paced by a {@link Pacer}), hands the browser's audio (from the remote
 * track's sink, mono) to its listener, and carries the {@code oai-events} data channel the browser opened. A video
 * section in the offer is answered inactive: both carry voice only.
 *
 * <p>Native callbacks arrive on WebRTC's signalling, network and audio threads: the listener must return quickly,
 * and nothing it throws unwinds into native code (that would take the JVM down).
 *
 * <p>{@link #close()} is idempotent and time-bounded: the listener hears nothing more once it returns, and the native
 * close runs on the engine's control thread, waited for at most {@link #CLOSE_BOUND}.
 */
public final class AnsweringPeer implements AutoCloseable {

    /** How long a close waits for the native close (normally a few milliseconds) before going on without it. */
    public static final Duration CLOSE_BOUND = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(AnsweringPeer.class);
    /** How long a connection may stay unsettled once its offer is being answered, beyond the answer's timeout. */
    private static final Duration SETTLING_SLACK = Duration.ofSeconds(5);

    /** What the peer hears from the browser. Called on native threads: return quickly. */
    public interface Listener {
        /** Connected, and the engine's recording is stopped again: frames may be pushed. Once per peer. */
        void connected();

        /** The {@code oai-events} channel is open (may come more than once: make it idempotent). */
        void eventsOpen();

        /** A text message on {@code oai-events}; null for a binary one. */
        void event(String text);

        /** Mono PCM16 at {@code rate}, in WebRTC's 10 ms chunks. */
        void audio(short[] mono, int rate);

        /**
         * The connection was interrupted ({@code terminal} false: ICE may still recover by itself) or failed or was
         * closed from the browser's side ({@code terminal} true).
         */
        void disconnected(boolean terminal, String why);
    }

    /** What the offer asked for, learnt while answering it. */
    public record Offered(boolean audio, boolean video, boolean dataChannel) {
    }

    /** The complete answer (every host candidate gathered) and what the offer asked for. */
    public record Answer(String sdp, Offered offered) {
    }

    private final WebRtcEngine engine;
    private final Listener listener;
    private final Connection link;
    private final RTCPeerConnection connection;
    private final CustomAudioSource voice;
    private final AudioTrack voiceTrack;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<AudioTrack> remoteTracks = new ArrayList<>();
    private final AudioTrackSink sink = this::received;
    private final byte[] frameBytes = new byte[WebRtcEngine.FRAME_SAMPLES * 2];
    /** Frames with sound handed to WebRTC: the interviewer's voice as it went into the call. */
    private final AtomicLong voicedFrames = new AtomicLong();
    private volatile RTCDataChannel events;

    public AnsweringPeer(WebRtcEngine engine, Listener listener) {
        this.engine = engine;
        this.listener = listener;
        this.link = new Connection(engine);
        this.connection = link.open(new Observer());
        this.voice = new CustomAudioSource();
        this.voiceTrack = engine.factory().createAudioTrack("interviewer", voice);
    }

    /**
     * Applies the offer and returns the complete answer (every host candidate gathered: the exchange is one message,
     * there is no trickle). The descriptions are applied on the engine's control thread.
     *
     * @param audioRequired refuse an offer without audio ({@code no_audio}) rather than answer it
     * @throws PeerException {@code invalid_offer} when WebRTC refuses the offer, {@code no_audio} (see above),
     *                       {@code answer_failed} otherwise (WebRTC failed or did not finish within the timeout)
     */
    public Answer answer(String offer, Duration timeout, boolean audioRequired) throws PeerException {
        // Settled once connected and the module's recording is stopped again (or after the deadline).
        link.negotiating(timeout.plus(SETTLING_SLACK));
        Offered offered;
        try {
            offered = engine.onControlThread("answering an offer", timeout.multipliedBy(2),
                    () -> negotiate(offer, timeout, audioRequired));
        } catch (PeerException e) {
            throw e;
        } catch (TimeoutException e) {
            throw new PeerException("answer_failed", "WebRTC did not finish within " + timeout.toMillis() * 2
                    + " ms");
        } catch (Exception e) {
            throw new PeerException("answer_failed", String.valueOf(e));
        }
        try {
            // Gathering starts no send stream: waited for here, off the control thread.
            link.gathered().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.debug("ICE gathering still running after {}; answering with what was gathered", timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("answer_failed", "interrupted");
        } catch (ExecutionException e) {
            throw new PeerException("answer_failed", String.valueOf(e.getCause()));
        }
        RTCSessionDescription local = connection.getLocalDescription();
        if (local == null) {
            throw new PeerException("answer_failed", "no local description");
        }
        return new Answer(local.sdp, new Offered(offered.audio(), offered.video(),
                local.sdp.contains("webrtc-datachannel")));
    }

    private Offered negotiate(String offer, Duration timeout, boolean audioRequired) throws PeerException {
        if (closed.get()) {
            throw new PeerException("answer_failed", "the call was closed");
        }
        CompletableFuture<Void> remoteSet = new CompletableFuture<>();
        connection.setRemoteDescription(new RTCSessionDescription(RTCSdpType.OFFER, offer),
                Connection.applied(remoteSet, error -> new PeerException("invalid_offer", error)));
        await(remoteSet, timeout, "invalid_offer");
        boolean audio = false;
        boolean video = false;
        for (RTCRtpTransceiver transceiver : connection.getTransceivers()) {
            MediaStreamTrack track = transceiver.getReceiver().getTrack();
            String kind = track == null ? null : track.getKind();
            if (MediaStreamTrack.AUDIO_TRACK_KIND.equals(kind)) {
                audio = true;
            } else if (MediaStreamTrack.VIDEO_TRACK_KIND.equals(kind)) {
                video = true;
                // Voice only: decline the camera rather than fail the call over it.
                transceiver.setDirection(RTCRtpTransceiverDirection.INACTIVE);
            }
        }
        if (!audio && audioRequired) {
            throw new PeerException("no_audio", "the offer has no audio section: the browser must offer the"
                    + " candidate's microphone");
        }
        if (audio) {
            // Reuses the offer's audio transceiver (JSEP), making it sendrecv: the interviewer's voice goes back on it.
            connection.addTrack(voiceTrack, List.of("interviewer"));
        }
        CompletableFuture<RTCSessionDescription> created = new CompletableFuture<>();
        connection.createAnswer(new RTCAnswerOptions(),
                Connection.created(created, error -> new PeerException("answer_failed", error)));
        RTCSessionDescription answer = await(created, timeout, "answer_failed");
        CompletableFuture<Void> localSet = new CompletableFuture<>();
        connection.setLocalDescription(answer,
                Connection.applied(localSet, error -> new PeerException("answer_failed", error)));
        await(localSet, timeout, "answer_failed");
        return new Offered(audio, video, false);
    }

    /** Sends one event on {@code oai-events}; false when the channel is not open (yet or any more). */
    public boolean send(String event) {
        RTCDataChannel channel = events;
        if (channel == null || closed.get() || channel.getState() != RTCDataChannelState.OPEN) {
            return false;
        }
        try {
            channel.send(new RTCDataChannelBuffer(ByteBuffer.wrap(event.getBytes(StandardCharsets.UTF_8)), false));
            return true;
        } catch (Exception e) {
            LOG.debug("data channel send failed: {}", e.toString());
            return false;
        }
    }

    /** False while another connection of this process is settling (see {@link WebRtcEngine#mayPush}). */
    public boolean mayPush() {
        return engine.mayPush();
    }

    /**
     * Pushes one 10 ms frame (480 samples at 48 kHz) of the interviewer's voice; false when it was not pushed (the
     * peer is closed, or a connection is settling).
     */
    public boolean push(short[] frame) {
        if (closed.get() || !engine.mayPush()) {
            return false;
        }
        ByteBuffer.wrap(frameBytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer()
                .put(frame, 0, WebRtcEngine.FRAME_SAMPLES);
        voice.pushAudio(frameBytes, 16, WebRtcEngine.RATE, 1, WebRtcEngine.FRAME_SAMPLES);
        for (short sample : frame) {
            if (sample != 0) {
                voicedFrames.incrementAndGet();
                break;
            }
        }
        return true;
    }

    /** Milliseconds of sound pushed into the call so far (10 ms frames that were not silent). */
    public long voicedMillisPushed() {
        return voicedFrames.get() * 10;
    }

    public boolean isOpen() {
        return !closed.get();
    }

    /**
     * Closes the connection, once; later calls return at once. The listener hears nothing after the first call. Only
     * the connection is closed: disposing tracks or sources first leaves native objects behind and hangs, and the
     * factory lives as long as the process. The native close is waited for at most {@link #CLOSE_BOUND}.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        RTCDataChannel channel = events;
        if (channel != null) {
            try {
                channel.unregisterObserver();
                channel.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the data channel: {}", e.toString());
            }
        }
        synchronized (remoteTracks) {
            for (AudioTrack track : remoteTracks) {
                try {
                    track.removeSink(sink);
                } catch (RuntimeException e) {
                    LOG.debug("removing the sink: {}", e.toString());
                }
            }
            remoteTracks.clear();
        }
        link.close("closing a peer connection", CLOSE_BOUND);
    }

    /** On WebRTC's audio thread: nothing may unwind into native code. */
    private void received(byte[] data, int bitsPerSample, int sampleRate, int channels, int frames) {
        if (closed.get() || bitsPerSample != 16 || channels < 1) {
            return;
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            short[] mono = new short[frames];
            for (int i = 0; i < frames; i++) {
                int sum = 0;
                for (int c = 0; c < channels; c++) {
                    sum += bytes.getShort((i * channels + c) * 2);
                }
                mono[i] = (short) (sum / channels);
            }
            listener.audio(mono, sampleRate);
        } catch (RuntimeException e) {
            LOG.warn("dropping the browser's audio frame: {}", e.toString());
        }
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout, String code) throws PeerException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            String why = e.getCause() instanceof PeerException peer ? peer.getMessage() : String.valueOf(e.getCause());
            throw new PeerException(code, why);
        } catch (TimeoutException e) {
            throw new PeerException(code, "WebRTC did not finish within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException(code, "interrupted");
        }
    }

    private final class Observer implements PeerConnectionObserver {
        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            // Non-trickle: the candidates go into the answer once gathering completes.
        }

        @Override
        public void onIceGatheringChange(RTCIceGatheringState state) {
            link.gatheringChanged(state);
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            try {
                connectionChanged(state);
            } catch (RuntimeException e) {
                LOG.warn("a connection change could not be handled: {}", e.toString());
            }
        }

        private void connectionChanged(RTCPeerConnectionState state) {
            if (closed.get()) {
                return;
            }
            boolean dropped = link.stateChanged(state, () -> {
                if (!closed.get()) {
                    listener.connected();
                }
            });
            if (dropped) {
                listener.disconnected(state != RTCPeerConnectionState.DISCONNECTED,
                        "browser connection " + state.name().toLowerCase(java.util.Locale.ROOT));
            }
        }

        @Override
        public void onTrack(RTCRtpTransceiver transceiver) {
            MediaStreamTrack track = transceiver.getReceiver().getTrack();
            if (track instanceof AudioTrack audio) {
                synchronized (remoteTracks) {
                    if (closed.get()) {
                        return;
                    }
                    audio.addSink(sink);
                    remoteTracks.add(audio);
                }
            }
        }

        @Override
        public void onDataChannel(RTCDataChannel channel) {
            if (!"oai-events".equals(channel.getLabel())) {
                LOG.debug("ignoring data channel {}", channel.getLabel());
                return;
            }
            events = channel;
            channel.registerObserver(new RTCDataChannelObserver() {
                @Override
                public void onBufferedAmountChange(long previousAmount) {
                }

                @Override
                public void onStateChange() {
                    if (!closed.get() && channel.getState() == RTCDataChannelState.OPEN) {
                        listener.eventsOpen();
                    }
                }

                @Override
                public void onMessage(RTCDataChannelBuffer buffer) {
                    if (closed.get()) {
                        return;
                    }
                    try {
                        ByteBuffer data = buffer.data;
                        byte[] bytes = new byte[data.remaining()];
                        data.get(bytes);
                        listener.event(buffer.binary ? null : new String(bytes, StandardCharsets.UTF_8));
                    } catch (RuntimeException e) {
                        // Never let an exception unwind into WebRTC's network thread.
                        LOG.warn("dropping a data channel message: {}", e.toString());
                    }
                }
            });
            if (channel.getState() == RTCDataChannelState.OPEN) {
                listener.eventsOpen();
            }
        }
    }

    /** WebRTC refused something; {@link #code()} is the stable code (the caller may prefix it). */
    public static final class PeerException extends Exception {
        private final String code;

        public PeerException(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
