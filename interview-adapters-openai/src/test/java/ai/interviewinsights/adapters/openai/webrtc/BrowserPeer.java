package ai.interviewinsights.adapters.openai.webrtc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onvoid.webrtc.PeerConnectionObserver;
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
import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.VideoTrack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The suite's one webrtc-java peer in the candidate's browser's role, for the local endpoint's tests and the proxy's
 * alike: a microphone track (or not), the {@code oai-events} data channel (or not), a camera (optionally). It offers,
 * applies the answer, speaks PCM in real time, and records what comes back: every event on the data channel and every
 * sample of the interviewer's voice (48 kHz mono), with loudness counters for latency measurements.
 *
 * <p>It lives on the process's one {@link WebRtcEngine} and follows its rules like the server's peer does: its
 * descriptions and close run on the engine's control thread (bounded), it settles through
 * {@link WebRtcEngine#quietRecording}, and it holds its microphone frames while a connection settles.
 */
public final class BrowserPeer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STEP = Duration.ofSeconds(10);

    // First of the fields: it loads the native library, which the microphone below already needs (Java initialises
    // fields in the order they are written; a JVM whose first native object was this peer's microphone failed with
    // UnsatisfiedLinkError, e.g. running CallRecordingTest on its own).
    private final WebRtcEngine engine = WebRtcEngine.shared();
    public final RTCPeerConnection connection;
    /** Null when made without a data channel. */
    public final RTCDataChannel events;
    public final CustomAudioSource microphone = new CustomAudioSource();
    public final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    public final List<JsonNode> all = new CopyOnWriteArrayList<>();
    public final CountDownLatch open = new CountDownLatch(1);
    /** Connected, and the engine's recording stopped again: both sides may push frames. */
    public final CountDownLatch connected = new CountDownLatch(1);
    /** Loud received samples (|s| > 1000), for the energy of the interviewer's voice. */
    public final AtomicLong loudSamples = new AtomicLong();
    public final AtomicLong receivedSamples = new AtomicLong();
    public volatile long firstLoudNanos;
    /** For latency measurements: set a nanoTime here, read the first loud sample after it in the next field. */
    public volatile long loudAfter;
    public volatile long firstLoudAfterArm;
    /** Filled by {@link #call}: the call id from {@code Location}, the answer and the status. */
    public String callId;
    public String answer;
    public int status;

    private final Connection link = new Connection(engine);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object audioLock = new Object();
    private short[] heard = new short[48_000 * 10];
    private int heardLength;
    private volatile int heardRate;
    private final AudioTrackSink sink = this::heard;
    private volatile AudioTrack remote;

    /** A browser with a microphone and the data channel. */
    public BrowserPeer() {
        this(true, true, false);
    }

    public BrowserPeer(boolean withMicrophone, boolean dataChannel, boolean camera) {
        connection = link.open(new Observer());
        if (withMicrophone) {
            AudioTrack microphoneTrack = engine.factory().createAudioTrack("mic", microphone);
            connection.addTrack(microphoneTrack, List.of("browser"));
        }
        if (camera) {
            VideoTrack cameraTrack = engine.factory().createVideoTrack("camera", new CustomVideoSource());
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
                        JsonNode event = JSON.readTree(bytes);
                        all.add(event);
                        received.add(event);
                    } catch (Exception e) {
                        // A test peer keeps what it cannot parse out of its records; never throw into native code.
                        all.add(JSON.getNodeFactory().textNode(new String(bytes, StandardCharsets.UTF_8)));
                    }
                }
            });
        }
    }

    /** The complete offer (all host candidates gathered). */
    public String offer() throws Exception {
        // This peer's set-up restarts the audio module's recording too: every pusher in this JVM holds its frames.
        link.negotiating(Duration.ofSeconds(20));
        engine.onControlThread("the browser's offer", STEP, () -> {
            CompletableFuture<RTCSessionDescription> offer = new CompletableFuture<>();
            connection.createOffer(new RTCOfferOptions(), Connection.created(offer, IllegalStateException::new));
            CompletableFuture<Void> set = new CompletableFuture<>();
            connection.setLocalDescription(offer.get(5, TimeUnit.SECONDS),
                    Connection.applied(set, IllegalStateException::new));
            set.get(5, TimeUnit.SECONDS);
            return null;
        });
        link.gathered().get(5, TimeUnit.SECONDS);
        return connection.getLocalDescription().sdp;
    }

    /** Applies the answer. */
    public void answer(String sdp) throws Exception {
        answer = sdp;
        engine.onControlThread("the browser's answer", STEP, () -> {
            CompletableFuture<Void> set = new CompletableFuture<>();
            connection.setRemoteDescription(new RTCSessionDescription(RTCSdpType.ANSWER, sdp),
                    Connection.applied(set, IllegalStateException::new));
            set.get(5, TimeUnit.SECONDS);
            return null;
        });
    }

    /** Posts the offer to an OpenAI-style endpoint as a browser does (raw SDP, bearer key) and applies the answer. */
    public void call(URI base, String key) throws Exception {
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

    public void send(String event) throws Exception {
        events.send(new RTCDataChannelBuffer(ByteBuffer.wrap(event.getBytes(StandardCharsets.UTF_8)), false));
    }

    /** Plays PCM16 mono 48 kHz into the call in real time, 10 ms a frame, holding while a connection settles. */
    public void speak(short[] samples48k) throws InterruptedException {
        byte[] frame = new byte[960];
        long next = System.nanoTime();
        for (int from = 0; from < samples48k.length && !closed.get(); from += 480) {
            while (!engine.mayPush()) {
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

    /** Waits for the next event that matches; the events before it are consumed. */
    public JsonNode await(Predicate<JsonNode> wanted, Duration timeout) throws InterruptedException {
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

    public JsonNode awaitType(String type, Duration timeout) throws InterruptedException {
        return await(e -> type.equals(e.path("type").asText()), timeout);
    }

    public List<String> types() {
        return all.stream().map(e -> e.path("type").asText()).toList();
    }

    /** Every sample of the interviewer's voice received so far (mono, at {@link #heardRate()}). */
    public short[] heard() {
        synchronized (audioLock) {
            return Arrays.copyOf(heard, heardLength);
        }
    }

    public int heardRate() {
        return heardRate == 0 ? 48_000 : heardRate;
    }

    /** Milliseconds of received audio in 10 ms windows whose RMS is above {@code threshold}. */
    public long voicedMillis(double threshold) {
        short[] audio = heard();
        int window = heardRate() / 100;
        long voiced = 0;
        for (int from = 0; from + window <= audio.length; from += window) {
            double sum = 0;
            for (int i = from; i < from + window; i++) {
                sum += (double) audio[i] * audio[i];
            }
            if (Math.sqrt(sum / window) > threshold) {
                voiced += 10;
            }
        }
        return voiced;
    }

    /** The inbound audio RTP statistics ({@code concealedSamples}, {@code insertedSamplesForDeceleration}, ...). */
    public Map<String, Object> inboundAudio() throws Exception {
        CompletableFuture<RTCStatsReport> report = new CompletableFuture<>();
        connection.getStats(report::complete);
        for (RTCStats stats : report.get(5, TimeUnit.SECONDS).getStats().values()) {
            if (stats.getType() == RTCStatsType.INBOUND_RTP
                    && "audio".equals(String.valueOf(stats.getAttributes().get("kind")))) {
                return stats.getAttributes();
            }
        }
        return Map.of();
    }

    /** Closes the connection once, bounded like the server's peer ({@link AnsweringPeer#CLOSE_BOUND}). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (events != null) {
            try {
                events.unregisterObserver();
                events.close();
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
        AudioTrack track = remote;
        if (track != null) {
            try {
                track.removeSink(sink);
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
        link.close("closing the browser's connection", AnsweringPeer.CLOSE_BOUND);
    }

    private void heard(byte[] data, int bits, int rate, int channels, int frames) {
        if (closed.get()) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        heardRate = rate;
        int loud = 0;
        synchronized (audioLock) {
            if (heardLength + frames > heard.length) {
                heard = Arrays.copyOf(heard, Math.max(heard.length * 2, heardLength + frames));
            }
            for (int i = 0; i < frames; i++) {
                short sample = b.getShort(i * channels * 2);
                heard[heardLength++] = sample;
            }
        }
        for (int i = 0; i < frames * channels; i++) {
            if (Math.abs(b.getShort(i * 2)) > 1000) {
                loud++;
            }
        }
        receivedSamples.addAndGet(frames);
        if (loud > 0) {
            loudSamples.addAndGet(loud);
            long now = System.nanoTime();
            if (firstLoudNanos == 0) {
                firstLoudNanos = now;
            }
            long armed = loudAfter;
            if (armed != 0 && firstLoudAfterArm == 0 && now > armed) {
                firstLoudAfterArm = now;
            }
        }
    }

    private final class Observer implements PeerConnectionObserver {
        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
        }

        @Override
        public void onIceGatheringChange(RTCIceGatheringState state) {
            link.gatheringChanged(state);
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            link.stateChanged(state, connected::countDown);
        }

        @Override
        public void onTrack(RTCRtpTransceiver transceiver) {
            MediaStreamTrack track = transceiver.getReceiver().getTrack();
            if (track instanceof AudioTrack audio && !closed.get()) {
                remote = audio;
                audio.addSink(sink);
            }
        }
    }
}
