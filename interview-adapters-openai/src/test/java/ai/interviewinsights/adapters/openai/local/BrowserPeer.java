package ai.interviewinsights.adapters.openai.local;

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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A webrtc-java peer that plays the browser: it offers audio plus the {@code oai-events} data channel, posts the offer
 * to the local endpoint as a browser would ({@code application/sdp}), applies the answer, then sends audio frames and
 * events and records what comes back (events, received audio energy).
 */
final class BrowserPeer implements AutoCloseable {

    final RTCPeerConnection connection;
    final RTCDataChannel events;
    final CustomAudioSource microphone = new CustomAudioSource();
    final AudioTrack microphoneTrack;
    final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    final java.util.List<JsonNode> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CountDownLatch open = new CountDownLatch(1);
    final CountDownLatch connected = new CountDownLatch(1);
    final CompletableFuture<Void> gathered = new CompletableFuture<>();
    /** Sum of squares and count of received samples, for the energy of the interviewer's voice. */
    final AtomicLong receivedSamples = new AtomicLong();
    final AtomicLong loudSamples = new AtomicLong();
    volatile long firstLoudNanos;
    /** For latency measurements: the first loud sample received after {@code loudAfter} (nanoTime). */
    volatile long loudAfter;
    volatile long firstLoudAfterArm;
    private final AudioTrackSink sink = (data, bits, rate, channels, frames) -> {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int loud = 0;
        for (int i = 0; i < frames * channels; i++) {
            if (Math.abs(b.getShort(i * 2)) > 1000) {
                loud++;
            }
        }
        receivedSamples.addAndGet(frames);
        if (loud > 0) {
            loudSamples.addAndGet(loud);
            if (firstLoudNanos == 0) {
                firstLoudNanos = System.nanoTime();
            }
            long armed = loudAfter;
            if (armed != 0 && firstLoudAfterArm == 0 && System.nanoTime() > armed) {
                firstLoudAfterArm = System.nanoTime();
            }
        }
    };
    private AudioTrack remote;
    String callId;
    String answer;
    int status;

    BrowserPeer() {
        RTCConfiguration config = new RTCConfiguration();
        config.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
        connection = WebRtcEngine.shared().factory().createPeerConnection(config, new PeerConnectionObserver() {
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
                WebRtcEngine engine = WebRtcEngine.shared();
                if (state == RTCPeerConnectionState.CONNECTING) {
                    engine.unsettle(BrowserPeer.this);
                } else if (state == RTCPeerConnectionState.CONNECTED) {
                    engine.unsettle(BrowserPeer.this);
                    engine.quietRecording(() -> {
                        engine.settle(BrowserPeer.this);
                        connected.countDown();
                    });
                } else if (state == RTCPeerConnectionState.FAILED || state == RTCPeerConnectionState.CLOSED
                        || state == RTCPeerConnectionState.DISCONNECTED) {
                    engine.noteTeardown();
                    engine.settle(BrowserPeer.this);
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
        microphoneTrack = WebRtcEngine.shared().factory().createAudioTrack("mic", microphone);
        connection.addTrack(microphoneTrack, List.of("browser"));
        events = connection.createDataChannel("oai-events", new RTCDataChannelInit());
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
                    JsonNode event = Wire.JSON.readTree(bytes);
                    all.add(event);
                    received.add(event);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
    }

    /** Creates the complete offer (all host candidates gathered). */
    String offer() throws Exception {
        return WebRtcEngine.shared().serialized(this::createOffer);
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

    /** Posts the offer as a browser does (raw SDP, bearer key) and applies the answer. */
    void call(URI base, String key) throws Exception {
        String offer = offer();
        HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        base.resolve("/v1/realtime/calls")).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(offer, StandardCharsets.UTF_8))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        status = reply.statusCode();
        if (status != 201) {
            throw new IllegalStateException("the endpoint answered " + status + ": " + reply.body());
        }
        String location = reply.headers().firstValue("Location").orElseThrow();
        callId = location.substring(location.lastIndexOf('/') + 1);
        answer(reply.body());
    }

    void answer(String sdp) throws Exception {
        WebRtcEngine.shared().serialized(() -> applyAnswer(sdp));
    }

    private Void applyAnswer(String sdp) throws Exception {
        answer = sdp;
        CompletableFuture<Void> set = new CompletableFuture<>();
        connection.setRemoteDescription(new RTCSessionDescription(RTCSdpType.ANSWER, sdp), observer(set));
        set.get(5, TimeUnit.SECONDS);
        return null;
    }

    void send(String event) throws Exception {
        events.send(new RTCDataChannelBuffer(ByteBuffer.wrap(event.getBytes(StandardCharsets.UTF_8)), false));
    }

    /** Waits for the next event that matches; the events before it are consumed. */
    JsonNode await(Predicate<JsonNode> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode event = received.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
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

    /** Plays PCM16 mono 48 kHz into the call in real time, 10 ms a frame. */
    void speak(short[] samples48k) throws InterruptedException {
        byte[] frame = new byte[960];
        long next = System.nanoTime();
        for (int from = 0; from < samples48k.length; from += 480) {
            while (!WebRtcEngine.shared().settled()) {
                TimeUnit.MILLISECONDS.sleep(5); // another connection is starting (see WebRtcEngine.unsettle)
                next = System.nanoTime();
            }
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

    @Override
    public void close() {
        try {
            events.unregisterObserver();
            events.close();
        } catch (RuntimeException ignored) {
            // closing anyway
        }
        if (remote != null) {
            try {
                remote.removeSink(sink);
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
        WebRtcEngine.shared().noteTeardown();
        WebRtcEngine.shared().serialized(connection::close);
        WebRtcEngine.shared().noteTeardown();
        WebRtcEngine.shared().settle(this);
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
