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

    PeerConnectionFactory factory() {
        return factory;
    }

    /**
     * Called when a call connects, before its first frame is pushed: the headless module's own recording thread
     * pushing silence concurrently with our custom source trips WebRTC's race checker (seen 2 runs of 3).
     */
    synchronized void quietRecording() {
        try {
            audioModule.stopRecording();
        } catch (RuntimeException e) {
            LOG.debug("stopRecording: {}", e.toString());
        }
    }
}
