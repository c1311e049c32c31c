package ai.interviewinsights.adapters.openai.webrtc;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtcpMuxPolicy;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer connection's part in the engine's rules, whichever side it plays (the server's answering peer, or the
 * suite's simulated browser): its life-cycle states drive the settling ({@link WebRtcEngine#unsettle}), its
 * connected callback comes once the recording is stopped again, and its close is the bounded one on the control
 * thread. Also the small adapters from webrtc-java's observers to futures.
 */
final class Connection {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    private final WebRtcEngine engine;
    private final AtomicBoolean announced = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> gathered = new CompletableFuture<>();
    private volatile Duration settling = Duration.ofSeconds(15);
    private RTCPeerConnection peer;

    Connection(WebRtcEngine engine) {
        this.engine = engine;
    }

    /** Creates the native connection (bundled, RTCP-muxed); {@code observer} gets every state change after ours. */
    RTCPeerConnection open(PeerConnectionObserver observer) {
        RTCConfiguration config = new RTCConfiguration();
        config.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
        config.rtcpMuxPolicy = RTCRtcpMuxPolicy.REQUIRE;
        peer = engine.factory().createPeerConnection(config, observer);
        return peer;
    }

    /** Its descriptions are being applied: it may start sending soon, so pushers hold for at most {@code deadline}. */
    void negotiating(Duration deadline) {
        settling = deadline;
        engine.unsettle(this, deadline);
    }

    /** Completes once ICE gathering is complete (the answer or offer then carries every host candidate). */
    CompletableFuture<Void> gathered() {
        return gathered;
    }

    void gatheringChanged(RTCIceGatheringState state) {
        if (state == RTCIceGatheringState.COMPLETE) {
            gathered.complete(null);
        }
    }

    /**
     * Applies the settling rules to a state change: unsettled while connecting; once connected, {@code connected}
     * runs (once) after the recording is stopped again; a teardown is noted when it drops.
     *
     * @return true for a state that ends or interrupts the connection
     */
    boolean stateChanged(RTCPeerConnectionState state, Runnable connected) {
        if (closed.get()) {
            return false;
        }
        switch (state) {
            case CONNECTING -> engine.unsettle(this, settling);
            case CONNECTED -> {
                if (announced.compareAndSet(false, true)) {
                    engine.unsettle(this, settling);
                    engine.quietRecording(() -> {
                        engine.settle(this);
                        if (!closed.get()) {
                            connected.run();
                        }
                    });
                }
            }
            case DISCONNECTED, FAILED, CLOSED -> {
                engine.noteTeardown();
                if (!announced.get()) {
                    engine.settle(this); // once announced, the pending quiet stop settles it
                }
                return true;
            }
            default -> {
            }
        }
        return false;
    }

    boolean isClosed() {
        return closed.get();
    }

    /**
     * Closes the native connection once: on the control thread, waited for at most {@code bound}, with other pushers
     * holding their frames around the teardown. Later calls return at once; never throws.
     */
    void close(String what, Duration bound) {
        if (!closed.compareAndSet(false, true) || peer == null) {
            return;
        }
        engine.unsettle(this, Duration.ofSeconds(2));
        engine.noteTeardown();
        try {
            engine.onControlThread(what, bound, () -> {
                try {
                    peer.close();
                } finally {
                    engine.noteTeardown();
                    engine.settle(this);
                }
                return null;
            });
        } catch (TimeoutException e) {
            // Logged by the engine; the close still runs, in order, when the control thread is free.
        } catch (Exception e) {
            LOG.debug("{}: {}", what, e.toString());
            engine.settle(this);
        }
    }

    /** A description observer completing {@code done}; a failure becomes {@code failure.apply(error)}. */
    static SetSessionDescriptionObserver applied(CompletableFuture<Void> done, Function<String, Exception> failure) {
        return new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                done.complete(null);
            }

            @Override
            public void onFailure(String error) {
                done.completeExceptionally(failure.apply(error));
            }
        };
    }

    /** A create-offer/answer observer completing {@code done}; a failure becomes {@code failure.apply(error)}. */
    static CreateSessionDescriptionObserver created(CompletableFuture<RTCSessionDescription> done,
                                                    Function<String, Exception> failure) {
        return new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                done.complete(description);
            }

            @Override
            public void onFailure(String error) {
                done.completeExceptionally(failure.apply(error));
            }
        };
    }
}
