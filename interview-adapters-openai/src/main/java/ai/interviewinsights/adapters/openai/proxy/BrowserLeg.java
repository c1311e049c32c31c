package ai.interviewinsights.adapters.openai.proxy;

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
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's side of the browser's WebRTC call: a webrtc-java peer that answers the browser's offer, plays the
 * interviewer's voice through a {@link CustomAudioSource} in 10 ms frames, hands the candidate's audio (from the
 * remote track's sink) to the bridge, and carries the {@code oai-events} data channel the browser opened. A video
 * section in the offer is answered inactive: the proxy carries voice only.
 *
 * <p>Native callbacks arrive on WebRTC's signalling and worker threads: the listener must return quickly.
 */
final class BrowserLeg implements AutoCloseable {

    /** 10 ms at 48 kHz mono: the frame WebRTC's audio pipeline works in. */
    static final int FRAME_SAMPLES = 480;
    static final int RATE = 48_000;

    private static final Logger LOG = LoggerFactory.getLogger(BrowserLeg.class);

    /** What the leg hears from the browser. Called on native threads: return quickly. */
    interface Listener {
        void connected();

        void eventsOpen();

        /** A text message on {@code oai-events}; null for a binary one. */
        void event(String text);

        /** Mono PCM16 at {@code rate}, in WebRTC's 10 ms chunks. */
        void audio(short[] mono, int rate);

        /** The connection failed or was closed from the browser's side. */
        void lost(String why);
    }

    /** What the offer asked for, learnt while answering it. */
    record Offered(boolean audio, boolean video, boolean dataChannel) {
    }

    private final PeerEngine engine;
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
    /** Frames with sound handed to WebRTC: the interviewer's voice as it went into the call. */
    private final java.util.concurrent.atomic.AtomicLong voicedFrames = new java.util.concurrent.atomic.AtomicLong();

    BrowserLeg(PeerEngine engine, Listener listener) {
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
     * Applies the offer and returns the complete answer (every host candidate gathered: the exchange is one message
     * on the runner's WebSocket, there is no trickle).
     *
     * @throws LegException {@code proxy.invalid_offer} when WebRTC refuses the offer, {@code proxy.no_audio} when it
     *                      carries no audio to bridge, {@code proxy.answer_failed} otherwise
     */
    Answered answer(String offer, Duration timeout) throws LegException {
        // Settled once connected and the module's recording is stopped again (or after the deadline).
        engine.unsettled(this, timeout.plusSeconds(5));
        try {
            return engine.serialized(() -> negotiate(offer, timeout));
        } catch (LegException e) {
            throw e;
        } catch (Exception e) {
            throw new LegException("proxy.answer_failed", String.valueOf(e));
        }
    }

    private Answered negotiate(String offer, Duration timeout) throws LegException {
        CompletableFuture<Void> remoteSet = new CompletableFuture<>();
        connection.setRemoteDescription(new RTCSessionDescription(RTCSdpType.OFFER, offer), observe(remoteSet));
        await(remoteSet, timeout, "proxy.invalid_offer");
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
        if (!audio) {
            throw new LegException("proxy.no_audio", "the offer has no audio section: the proxy bridges the"
                    + " candidate's microphone, so the browser must offer audio");
        }
        // Reuses the offer's audio transceiver (JSEP), making it sendrecv: the interviewer's voice goes back on it.
        connection.addTrack(voiceTrack, List.of("interviewer"));
        CompletableFuture<RTCSessionDescription> created = new CompletableFuture<>();
        connection.createAnswer(new RTCAnswerOptions(), new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                created.complete(description);
            }

            @Override
            public void onFailure(String error) {
                created.completeExceptionally(new LegException("proxy.answer_failed", error));
            }
        });
        RTCSessionDescription answer = await(created, timeout, "proxy.answer_failed");
        CompletableFuture<Void> localSet = new CompletableFuture<>();
        connection.setLocalDescription(answer, observe(localSet));
        await(localSet, timeout, "proxy.answer_failed");
        try {
            gathered.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.debug("ICE gathering still running after {}; answering with what was gathered", timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LegException("proxy.answer_failed", "interrupted");
        } catch (ExecutionException e) {
            throw new LegException("proxy.answer_failed", String.valueOf(e.getCause()));
        }
        String sdp = connection.getLocalDescription().sdp;
        boolean dataChannel = sdp.contains("webrtc-datachannel");
        return new Answered(sdp, new Offered(audio, video, dataChannel));
    }

    record Answered(String sdp, Offered offered) {
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

    /** Milliseconds of sound pushed into the call so far (10 ms frames that were not silent). */
    long voicedMillisPushed() {
        return voicedFrames.get() * 10;
    }

    /** False while another connection of this process is settling (see {@link PeerEngine#unsettled}). */
    boolean mayPush() {
        return engine.mayPush();
    }

    /** Pushes one 10 ms frame (480 samples at 48 kHz) of the interviewer's voice. */
    void push(short[] frame) {
        if (closed.get() || !engine.mayPush()) {
            return;
        }
        ByteBuffer.wrap(frameBytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(frame, 0, FRAME_SAMPLES);
        voice.pushAudio(frameBytes, 16, RATE, 1, FRAME_SAMPLES);
        for (short sample : frame) {
            if (sample != 0) {
                voicedFrames.incrementAndGet();
                break;
            }
        }
    }

    /**
     * Closes the connection. Only the connection: disposing tracks or sources first leaves native objects behind and
     * hangs, and the factory lives as long as the process.
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
        engine.unsettled(this, Duration.ofSeconds(2));
        try {
            engine.serialized(connection::close);
        } finally {
            engine.settled(this);
        }
    }

    /** On WebRTC's audio thread: nothing may unwind into native code (it would take the JVM down). */
    private void received(byte[] data, int bitsPerSample, int sampleRate, int channels, int frames) {
        try {
            deliver(data, bitsPerSample, sampleRate, channels, frames);
        } catch (RuntimeException e) {
            LOG.warn("the browser's audio frame could not be bridged: {}", e.toString());
        }
    }

    private void deliver(byte[] data, int bitsPerSample, int sampleRate, int channels, int frames) {
        if (closed.get() || bitsPerSample != 16 || channels < 1) {
            return;
        }
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
                done.completeExceptionally(new LegException("proxy.invalid_offer", error));
            }
        };
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout, String code) throws LegException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            String why = e.getCause() instanceof LegException leg ? leg.getMessage() : String.valueOf(e.getCause());
            throw new LegException(code, why);
        } catch (TimeoutException e) {
            throw new LegException(code, "WebRTC did not finish within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LegException(code, "interrupted");
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
            if (state == RTCPeerConnectionState.CONNECTED && announcedConnected.compareAndSet(false, true)) {
                engine.quietRecording(() -> {
                    engine.settled(BrowserLeg.this);
                    if (!closed.get()) {
                        listener.connected();
                    }
                });
            } else if (state == RTCPeerConnectionState.FAILED || state == RTCPeerConnectionState.CLOSED) {
                // DISCONNECTED is not final: ICE may recover by itself.
                listener.lost("browser connection " + state.name().toLowerCase());
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
                    try {
                        ByteBuffer data = buffer.data;
                        byte[] bytes = new byte[data.remaining()];
                        data.get(bytes);
                        listener.event(buffer.binary ? null : new String(bytes, StandardCharsets.UTF_8));
                    } catch (RuntimeException e) {
                        LOG.warn("a data channel message could not be handled: {}", e.toString());
                    }
                }
            });
            if (channel.getState() == RTCDataChannelState.OPEN) {
                listener.eventsOpen();
            }
        }
    }

    /** WebRTC refused something; {@link #code()} is the stable code. */
    static final class LegException extends Exception {
        private final String code;

        LegException(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        String code() {
            return code;
        }
    }
}
