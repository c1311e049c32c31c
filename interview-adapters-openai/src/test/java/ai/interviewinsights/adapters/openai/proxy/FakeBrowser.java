package ai.interviewinsights.adapters.openai.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.VideoTrack;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A webrtc-java peer in the candidate's browser's role: a microphone track, the {@code oai-events} data channel (or
 * not), a camera (optionally); it records every sample of the interviewer's voice it receives (48 kHz mono) and every
 * event on the data channel.
 */
final class FakeBrowser implements AutoCloseable {

    final RTCPeerConnection connection;
    final RTCDataChannel events;
    final CustomAudioSource microphone;
    final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    final List<JsonNode> all = new CopyOnWriteArrayList<>();
    final CountDownLatch open = new CountDownLatch(1);
    final CountDownLatch connected = new CountDownLatch(1);
    final CompletableFuture<Void> gathered = new CompletableFuture<>();
    private final Object audioLock = new Object();
    private short[] heard = new short[48_000 * 10];
    private int heardLength;
    private volatile int heardRate;
    private final AudioTrackSink sink = (data, bits, rate, channels, frames) -> {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        heardRate = rate;
        synchronized (audioLock) {
            if (heardLength + frames > heard.length) {
                heard = Arrays.copyOf(heard, Math.max(heard.length * 2, heardLength + frames));
            }
            for (int i = 0; i < frames; i++) {
                heard[heardLength++] = b.getShort(i * channels * 2);
            }
        }
    };
    private AudioTrack remote;

    FakeBrowser(boolean dataChannel, boolean camera) {
        this(true, dataChannel, camera);
    }

    FakeBrowser(boolean withMicrophone, boolean dataChannel, boolean camera) {
        PeerEngine engine = PeerEngine.shared(); // loads the native library before any native object is made
        microphone = new CustomAudioSource();
        RTCConfiguration config = new RTCConfiguration();
        config.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
        connection = engine.factory().createPeerConnection(config, new PeerConnectionObserver() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
            }

            @Override
            public void onIceGatheringChange(RTCIceGatheringState state) {
                if (state == RTCIceGatheringState.COMPLETE) {
                    gathered.complete(null);
                }
            }

            @Override
            public void onConnectionChange(RTCPeerConnectionState state) {
                if (state == RTCPeerConnectionState.CONNECTED) {
                    PeerEngine.shared().quietRecording(() -> {
                        PeerEngine.shared().settled(FakeBrowser.this);
                        connected.countDown();
                    });
                }
            }

            @Override
            public void onTrack(RTCRtpTransceiver transceiver) {
                MediaStreamTrack track = transceiver.getReceiver().getTrack();
                if (track instanceof AudioTrack audio) {
                    remote = audio;
                    audio.addSink(sink);
                }
            }
        });
        if (withMicrophone) {
            AudioTrack microphoneTrack = engine.factory().createAudioTrack("mic", microphone);
            connection.addTrack(microphoneTrack, List.of("browser"));
        }
        if (camera) {
            VideoTrack cameraTrack = PeerEngine.shared().factory().createVideoTrack("camera", new CustomVideoSource());
            connection.addTrack(cameraTrack, List.of("browser"));
        }
        events = dataChannel ? connection.createDataChannel("oai-events", new RTCDataChannelInit()) : null;
        if (events != null) {
            events.registerObserver(new RTCDataChannelObserver() {
                @Override
                public void onBufferedAmountChange(long previousAmount) {
                }

                @Override
                public void onStateChange() {
                    if (events.getState() == RTCDataChannelState.OPEN) {
                        open.countDown();
                    }
                }

                @Override
                public void onMessage(RTCDataChannelBuffer buffer) {
                    byte[] bytes = new byte[buffer.data.remaining()];
                    buffer.data.get(bytes);
                    try {
                        JsonNode event = FakeOpenAi.JSON.readTree(bytes);
                        all.add(event);
                        received.add(event);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
        }
    }

    /** The complete offer (all host candidates gathered). */
    String offer() throws Exception {
        // This peer's set-up restarts the audio module's recording too: the bridges in this JVM hold their frames.
        PeerEngine.shared().unsettled(this, Duration.ofSeconds(20));
        return PeerEngine.shared().serialized(this::createOffer);
    }

    private String createOffer() throws Exception {
        CompletableFuture<RTCSessionDescription> offer = new CompletableFuture<>();
        connection.createOffer(new RTCOfferOptions(), new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                offer.complete(description);
            }

            @Override
            public void onFailure(String error) {
                offer.completeExceptionally(new IllegalStateException(error));
            }
        });
        RTCSessionDescription description = offer.get(5, TimeUnit.SECONDS);
        CompletableFuture<Void> set = new CompletableFuture<>();
        connection.setLocalDescription(description, observer(set));
        set.get(5, TimeUnit.SECONDS);
        gathered.get(5, TimeUnit.SECONDS);
        return connection.getLocalDescription().sdp;
    }

    void answer(String sdp) throws Exception {
        PeerEngine.shared().serialized(() -> {
            CompletableFuture<Void> set = new CompletableFuture<>();
            connection.setRemoteDescription(new RTCSessionDescription(RTCSdpType.ANSWER, sdp), observer(set));
            set.get(5, TimeUnit.SECONDS);
            return null;
        });
    }

    void send(String event) throws Exception {
        events.send(new RTCDataChannelBuffer(ByteBuffer.wrap(event.getBytes(StandardCharsets.UTF_8)), false));
    }

    /** Plays PCM16 mono 48 kHz into the call in real time, 10 ms a frame. */
    void speak(short[] samples48k) throws InterruptedException {
        byte[] frame = new byte[960];
        long next = System.nanoTime();
        for (int from = 0; from < samples48k.length; from += 480) {
            ByteBuffer b = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 480; i++) {
                b.putShort(from + i < samples48k.length ? samples48k[from + i] : 0);
            }
            microphone.pushAudio(frame, 16, 48_000, 1, 480);
            next += 10_000_000L;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
    }

    /** Every sample of the interviewer's voice received so far (mono, at {@link #heardRate()}). */
    short[] heard() {
        synchronized (audioLock) {
            return Arrays.copyOf(heard, heardLength);
        }
    }

    /** The inbound audio RTP statistics ({@code concealedSamples}, {@code insertedSamplesForDeceleration}, ...). */
    java.util.Map<String, Object> inboundAudio() throws Exception {
        CompletableFuture<dev.onvoid.webrtc.RTCStatsReport> report = new CompletableFuture<>();
        connection.getStats(report::complete);
        for (dev.onvoid.webrtc.RTCStats stats : report.get(5, TimeUnit.SECONDS).getStats().values()) {
            if (stats.getType() == dev.onvoid.webrtc.RTCStatsType.INBOUND_RTP
                    && "audio".equals(String.valueOf(stats.getAttributes().get("kind")))) {
                return stats.getAttributes();
            }
        }
        return java.util.Map.of();
    }

    int heardRate() {
        return heardRate == 0 ? 48_000 : heardRate;
    }

    /** Milliseconds of received audio in 10 ms windows whose RMS is above {@code threshold}. */
    long voicedMillis(double threshold) {
        short[] audio = heard();
        int window = heardRate() / 100;
        long voiced = 0;
        for (int from = 0; from + window <= audio.length; from += window) {
            if (Tones.rms(audio, from, window) > threshold) {
                voiced += 10;
            }
        }
        return voiced;
    }

    JsonNode await(Predicate<JsonNode> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode event = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no matching event within " + timeout + "; received: " + types());
            }
            if (wanted.test(event)) {
                return event;
            }
        }
    }

    JsonNode awaitType(String type, Duration timeout) throws InterruptedException {
        return await(e -> type.equals(e.path("type").asText()), timeout);
    }

    List<String> types() {
        return all.stream().map(e -> e.path("type").asText()).toList();
    }

    @Override
    public void close() {
        if (events != null) {
            try {
                events.unregisterObserver();
                events.close();
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
        if (remote != null) {
            try {
                remote.removeSink(sink);
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
        PeerEngine.shared().unsettled(this, Duration.ofSeconds(2));
        try {
            PeerEngine.shared().serialized(connection::close);
        } finally {
            PeerEngine.shared().settled(this);
        }
    }

    private static SetSessionDescriptionObserver observer(CompletableFuture<Void> done) {
        return new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                done.complete(null);
            }

            @Override
            public void onFailure(String error) {
                done.completeExceptionally(new IllegalStateException(error));
            }
        };
    }
}
