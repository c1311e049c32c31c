package ai.interviewinsights.adapters.openai.local;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtcpMuxPolicy;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioOptions;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoint's side of one WebRTC call: a real webrtc-java peer connection that answers the browser's offer, sends
 * the interviewer's voice through a {@link CustomAudioSource}, hands the browser's audio (48 kHz from the remote
 * track's sink) to the media loop, and carries the {@code oai-events} data channel the browser opened.
 *
 * <p>Native callbacks arrive on WebRTC's signalling and worker threads: the listener must not block them.
 */
final class LocalPeer implements AutoCloseable {

    /** 10 ms at 48 kHz mono: the frame WebRTC's audio pipeline works in. */
    static final int FRAME_SAMPLES = 480;
    static final int RATE = 48_000;

    private static final Logger LOG = LoggerFactory.getLogger(LocalPeer.class);

    /** What the call hears from its peer. Called on native threads: return quickly. */
    interface Listener {
        void connected();

        void eventsOpen();

        void event(String text);

        /** Mono PCM16 at {@code rate}, in WebRTC's 10 ms chunks. */
        void audio(short[] mono, int rate);

        void disconnected();
    }

    private final WebRtcEngine engine;
    private final Listener listener;
    private final RTCPeerConnection connection;
    private final CustomAudioSource voice;
    private final AudioTrack voiceTrack;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean announcedConnected = new AtomicBoolean();
    private final CompletableFuture<Void> gathered = new CompletableFuture<>();
    private final List<AudioTrack> remoteTracks = new ArrayList<>();
    private final AudioTrackSink sink = this::received;
    private final byte[] frameBytes = new byte[FRAME_SAMPLES * 2];
    private volatile RTCDataChannel events;

    LocalPeer(WebRtcEngine engine, Listener listener) {
        this.engine = engine;
        this.listener = listener;
        RTCConfiguration config = new RTCConfiguration();
        config.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
        config.rtcpMuxPolicy = RTCRtcpMuxPolicy.REQUIRE;
        this.connection = engine.factory().createPeerConnection(config, new Observer());
        this.voice = new CustomAudioSource();
        this.voiceTrack = engine.factory().createAudioTrack("interviewer", voice);
    }

    /**
     * Applies the offer and returns the complete answer (every host candidate gathered: the offer/answer exchange
     * is one HTTP round trip, there is no trickle).
     *
     * @throws PeerException {@code invalid_offer} when WebRTC refuses the offer, {@code answer_failed} otherwise
     */
    String answer(String offer, Duration timeout) throws PeerException {
        try {
            return engine.serialized(() -> negotiate(offer, timeout));
        } catch (PeerException e) {
            throw e;
        } catch (Exception e) {
            throw new PeerException("answer_failed", String.valueOf(e));
        }
    }

    private String negotiate(String offer, Duration timeout) throws PeerException {
        CompletableFuture<Void> remoteSet = new CompletableFuture<>();
        connection.setRemoteDescription(new RTCSessionDescription(RTCSdpType.OFFER, offer), observe(remoteSet));
        await(remoteSet, timeout, "invalid_offer");
        boolean audio = false;
        for (RTCRtpTransceiver transceiver : connection.getTransceivers()) {
            MediaStreamTrack track = transceiver.getReceiver().getTrack();
            if (track != null && MediaStreamTrack.AUDIO_TRACK_KIND.equals(track.getKind())) {
                audio = true;
            }
        }
        if (audio) {
            // Reuses the offer's audio transceiver (JSEP), making it sendrecv: the interviewer's voice goes back on it.
            connection.addTrack(voiceTrack, List.of("interviewer"));
        }
        CompletableFuture<RTCSessionDescription> created = new CompletableFuture<>();
        connection.createAnswer(new RTCAnswerOptions(), new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                created.complete(description);
            }

            @Override
            public void onFailure(String error) {
                created.completeExceptionally(new PeerException("answer_failed", error));
            }
        });
        RTCSessionDescription answer = await(created, timeout, "answer_failed");
        CompletableFuture<Void> localSet = new CompletableFuture<>();
        connection.setLocalDescription(answer, observe(localSet));
        await(localSet, timeout, "answer_failed");
        try {
            gathered.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.debug("ICE gathering still running after {}; answering with what was gathered", timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("answer_failed", "interrupted");
        } catch (ExecutionException e) {
            throw new PeerException("answer_failed", String.valueOf(e.getCause()));
        }
        return connection.getLocalDescription().sdp;
    }

    /** Sends one event on {@code oai-events}; false when the channel is not open (yet or any more). */
    boolean send(String event) {
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

    /** True when a frame may be pushed now (see {@link WebRtcEngine#unsettle}). */
    boolean mayPush() {
        return engine.settled();
    }

    /** Pushes one 10 ms frame (480 samples at 48 kHz) of the interviewer's voice. */
    void push(short[] frame) {
        if (closed.get()) {
            return;
        }
        ByteBuffer.wrap(frameBytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(frame, 0, FRAME_SAMPLES);
        voice.pushAudio(frameBytes, 16, RATE, 1, FRAME_SAMPLES);
    }

    boolean isOpen() {
        return !closed.get();
    }

    /**
     * Closes the connection. Only the connection: disposing tracks or sources first leaves native objects behind and
     * hangs (seen in the probe), and the factory lives as long as the process.
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
        engine.noteTeardown();
        engine.serialized(connection::close);
        engine.noteTeardown();
        engine.settle(this);
    }

    private void received(byte[] data, int bitsPerSample, int sampleRate, int channels, int frames) {
        if (closed.get() || bitsPerSample != 16 || channels < 1) {
            return;
        }
        try {
            deliver(data, sampleRate, channels, frames);
        } catch (RuntimeException e) {
            // Never let an exception unwind into WebRTC's native audio thread.
            LOG.warn("dropping received audio: {}", e.toString());
        }
    }

    private void deliver(byte[] data, int sampleRate, int channels, int frames) {
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
    }

    private static SetSessionDescriptionObserver observe(CompletableFuture<Void> done) {
        return new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                done.complete(null);
            }

            @Override
            public void onFailure(String error) {
                done.completeExceptionally(new PeerException("invalid_offer", error));
            }
        };
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout, String code) throws PeerException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PeerException peer) {
                throw new PeerException(code, peer.getMessage());
            }
            throw new PeerException(code, String.valueOf(e.getCause()));
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
            if (state == RTCIceGatheringState.COMPLETE) {
                gathered.complete(null);
            }
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            if (closed.get()) {
                return;
            }
            if (state == RTCPeerConnectionState.CONNECTING) {
                engine.unsettle(LocalPeer.this);
            }
            if (state == RTCPeerConnectionState.CONNECTED && announcedConnected.compareAndSet(false, true)) {
                engine.unsettle(LocalPeer.this);
                engine.quietRecording(() -> {
                    engine.settle(LocalPeer.this);
                    if (!closed.get()) {
                        listener.connected();
                    }
                });
            } else if (state == RTCPeerConnectionState.FAILED || state == RTCPeerConnectionState.CLOSED
                    || state == RTCPeerConnectionState.DISCONNECTED) {
                engine.noteTeardown();
                if (!announcedConnected.get()) {
                    engine.settle(LocalPeer.this);
                }
                listener.disconnected();
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
                    if (channel.getState() == RTCDataChannelState.OPEN) {
                        listener.eventsOpen();
                    }
                }

                @Override
                public void onMessage(RTCDataChannelBuffer buffer) {
                    ByteBuffer data = buffer.data;
                    byte[] bytes = new byte[data.remaining()];
                    data.get(bytes);
                    try {
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

    /** WebRTC refused something; {@link #code()} is the OpenAI-style error code. */
    static final class PeerException extends Exception {
        private final String code;

        PeerException(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        String code() {
            return code;
        }
    }
}
