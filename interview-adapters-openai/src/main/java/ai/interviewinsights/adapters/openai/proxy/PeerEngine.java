package ai.interviewinsights.adapters.openai.proxy;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
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
     * Called when a peer connects, before its first frame is pushed: the headless module's own recording thread
     * pushing silence concurrently with a custom source trips WebRTC's race checker.
     */
    synchronized void quietRecording() {
        try {
            audioModule.stopRecording();
        } catch (RuntimeException e) {
            LOG.debug("stopRecording: {}", e.toString());
        }
    }
}
