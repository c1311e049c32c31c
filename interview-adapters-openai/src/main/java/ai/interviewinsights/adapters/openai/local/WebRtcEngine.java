package ai.interviewinsights.adapters.openai.local;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one webrtc-java factory of this process. Creating a factory costs ~170 ms and starts three native threads, and
 * more than one per process is a known source of crashes, so every local endpoint in the JVM shares this one; it is
 * never disposed (the process owns it until exit), which also sidesteps the native dispose-order traps.
 *
 * <p>The audio device module is always the headless one: a factory without a device aborts the JVM, and the dummy
 * layer never delivers remote audio to sinks.
 */
final class WebRtcEngine {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcEngine.class);
    private static WebRtcEngine shared;

    private final HeadlessAudioDeviceModule audioModule;
    private final PeerConnectionFactory factory;
    private final Object media = new Object();
    private static final long TEARDOWN_QUIET_NANOS = 1_000_000_000L;
    private volatile long lastTeardown = System.nanoTime() - TEARDOWN_QUIET_NANOS;
    /** Calls whose connection may have (re)started the module's recording and not yet stopped it again. */
    private final java.util.Set<Object> unsettled = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ExecutorService control = java.util.concurrent.Executors
            .newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "webrtc-audio-control");
                t.setDaemon(true);
                return t;
            });

    private WebRtcEngine() {
        long started = System.nanoTime();
        audioModule = new HeadlessAudioDeviceModule();
        factory = new PeerConnectionFactory(audioModule);
        LOG.info("webrtc-java factory ready in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    static synchronized WebRtcEngine shared() {
        if (shared == null) {
            shared = new WebRtcEngine();
        }
        return shared;
    }

    /**
     * A connection is being established: its send stream will start the audio module's recording, whose thread
     * then delivers (silent) frames to EVERY send stream of the process. A frame pushed through a
     * {@code CustomAudioSource} at the same moment trips WebRTC's race checker in {@code audio_send_stream.cc} and
     * aborts the JVM (seen with several calls talking while another connected). So every pusher holds its frames
     * while any connection is unsettled, i.e. until {@link #quietRecording} has stopped the recording again.
     */
    void unsettle(Object call) {
        unsettled.add(call);
    }

    /** A connection was closed or lost: its send stream is going away on the worker thread. */
    void noteTeardown() {
        lastTeardown = System.nanoTime();
    }

    void settle(Object call) {
        unsettled.remove(call);
    }

    /** No connection is starting: frames may be pushed. */
    boolean settled() {
        return unsettled.isEmpty();
    }

    PeerConnectionFactory factory() {
        return factory;
    }

    /**
     * Runs {@code then} after stopping the headless module's recording, on a thread of its own. Called when a call
     * connects, before its first frame is pushed: the module's recording thread pushing silence concurrently with our
     * custom source trips WebRTC's race checker (seen 2 runs of 3). Never call it on a WebRTC callback thread:
     * {@code stopRecording()} from the signalling thread deadlocks (seen here, both threads parked for good).
     */
    void quietRecording(Runnable then) {
        control.execute(() -> {
            try {
                // Let the worker finish starting the new send stream first (it starts recording for it), and
                // keep clear of a teardown: when the last send stream goes, the worker stops the recording
                // itself, asynchronously, and a second stop at that moment hangs (seen in the benchmark).
                Thread.sleep(150);
                long sinceTeardown;
                while ((sinceTeardown = System.nanoTime() - lastTeardown) < TEARDOWN_QUIET_NANOS) {
                    Thread.sleep(Math.max(1, (TEARDOWN_QUIET_NANOS - sinceTeardown) / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (media) {
                try {
                    audioModule.stopRecording();
                } catch (RuntimeException e) {
                    LOG.debug("stopRecording: {}", e.toString());
                }
            }
            then.run();
        });
    }

    /**
     * Runs a step that makes WebRTC's worker start or stop send streams (applying descriptions, closing a
     * connection) so that it never overlaps {@link #quietRecording}: the worker starts and stops the audio module's
     * recording for those steps, and two threads stopping it at once join the same native thread twice and hang for
     * good (seen here with gdb).
     */
    <T> T serialized(java.util.concurrent.Callable<T> step) throws Exception {
        synchronized (media) {
            return step.call();
        }
    }

    void serialized(Runnable step) {
        synchronized (media) {
            step.run();
        }
    }
}
