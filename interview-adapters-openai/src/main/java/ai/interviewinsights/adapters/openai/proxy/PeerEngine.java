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
