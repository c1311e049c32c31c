package ai.interviewinsights.adapters.openai.proxy;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's webrtc-java factory: one per process, created on first use, never disposed (the process owns it until
 * exit, which also avoids the native dispose-order traps). Always on the headless audio module: a factory without a
 * device aborts the JVM, and the dummy layer never delivers remote audio to sinks.
 *
 * <p>The local realtime endpoint ({@code local.WebRtcEngine}) keeps a factory of its own; it is package-private
 * there, so a JVM that runs both (tests, one-machine demos) holds two factories. Both are headless; the proxy
 * suite runs them side by side.
 */
final class PeerEngine {

    private static final Logger LOG = LoggerFactory.getLogger(PeerEngine.class);
    private static PeerEngine shared;

    private final HeadlessAudioDeviceModule audioModule;
    private final PeerConnectionFactory factory;
    private final Object media = new Object();
    private final java.util.Map<Object, Long> unsettled = new java.util.concurrent.ConcurrentHashMap<>();
    private final ExecutorService control = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "proxy-audio-control");
        t.setDaemon(true);
        return t;
    });

    private PeerEngine() {
        long started = System.nanoTime();
        audioModule = new HeadlessAudioDeviceModule();
        factory = new PeerConnectionFactory(audioModule);
        LOG.info("proxy webrtc-java factory ready in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    static synchronized PeerEngine shared() {
        if (shared == null) {
            shared = new PeerEngine();
        }
        return shared;
    }

    PeerConnectionFactory factory() {
        return factory;
    }

    /**
     * Runs {@code then} after stopping the headless module's recording, on a thread of its own. Called when a peer
     * connects, before its first frame is pushed: the module's recording thread pushing silence concurrently with a
     * custom source trips WebRTC's race checker. Never on a WebRTC callback thread: {@code stopRecording()} from the
     * signalling thread deadlocks (seen here as on the local endpoint, both threads parked for good).
     */
    void quietRecording(Runnable then) {
        control.execute(() -> {
            try {
                // Let the worker finish starting the new send stream first (it starts recording for it).
                Thread.sleep(150);
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
     * A connection is being set up (or torn down): until it is {@link #settled}, or its deadline passes, the module
     * may be recording again (WebRTC restarts recording for a new send stream), and a frame pushed into another call's
     * track meanwhile would race the module's thread on that stream (a race-checker abort, seen with calls joining
     * while others played). One interview per runner process makes this rare in production; it matters for a process
     * holding several calls.
     */
    void unsettled(Object connection, java.time.Duration deadline) {
        unsettled.put(connection, System.nanoTime() + deadline.toNanos());
    }

    void settled(Object connection) {
        unsettled.remove(connection);
    }

    /** False while some connection is settling: skip the frame (the ticker's next one comes in 10 ms). */
    boolean mayPush() {
        if (unsettled.isEmpty()) {
            return true;
        }
        long now = System.nanoTime();
        unsettled.values().removeIf(deadline -> deadline - now < 0);
        return unsettled.isEmpty();
    }

    /**
     * Runs a step that makes WebRTC's worker start or stop send streams (applying descriptions, closing a connection)
     * so that it never overlaps {@link #quietRecording}: two threads stopping the module's recording at once hang.
     */
    <T> T serialized(Callable<T> step) throws Exception {
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
