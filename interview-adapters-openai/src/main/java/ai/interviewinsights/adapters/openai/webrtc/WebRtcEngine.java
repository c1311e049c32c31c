package ai.interviewinsights.adapters.openai.webrtc;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one webrtc-java factory of this process, shared by the proxy's browser leg and the local realtime endpoint (and
 * by the test suite's simulated browsers). Creating a factory costs ~170 ms and starts three native threads, and more
 * than one per process is a known source of crashes, so there is exactly one; it is never disposed (the process owns
 * it until exit), which also sidesteps the native dispose-order traps.
 *
 * <p>The audio device module is always the headless one: a factory without a device aborts the JVM, and the dummy
 * layer never delivers remote audio to sinks. That module is also where the native traps are, and this class is
 * where they are handled, once:
 *
 * <ul>
 *   <li><b>Its recording thread must be stopped</b> once a connection is up: WebRTC starts it for every new send
 *       stream, and its (silent) frames reach every send stream of the process; a frame pushed through a
 *       {@code CustomAudioSource} at the same moment trips WebRTC's race checker and aborts the JVM. So every pusher
 *       holds its frames while any connection is {@linkplain #unsettle unsettled}, and {@link #quietRecording} stops
 *       the recording again.</li>
 *   <li><b>Steps that start or stop send streams</b> (applying descriptions, closing a connection) and
 *       {@code stopRecording} itself must never overlap: two threads stopping the module at once join the same native
 *       thread twice and hang for good (seen with gdb). They all run on one thread, {@code webrtc-control}, in
 *       order. No Java lock is held across them: a caller waits for its step with a bound
 *       ({@link #onControlThread}), so a native call that never returns wedges that one thread, never a caller that
 *       holds a lock others need (which is how a close once hung the suite).</li>
 *   <li><b>A teardown</b> makes the worker stop the recording itself, asynchronously; a second stop at that moment
 *       hangs too (seen in the benchmark), so {@link #quietRecording} keeps a second clear of the last one.</li>
 * </ul>
 */
public final class WebRtcEngine {

    /** 10 ms at 48 kHz mono: the frame WebRTC's audio pipeline works in. */
    public static final int FRAME_SAMPLES = 480;
    public static final int RATE = 48_000;

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcEngine.class);
    /** Let the worker finish starting a new send stream (it starts the recording for it) before stopping it. */
    private static final long SETTLE_DELAY_MS = 150;
    private static final long TEARDOWN_QUIET_NANOS = 1_000_000_000L;
    private static WebRtcEngine shared;

    private final HeadlessAudioDeviceModule audioModule;
    private final PeerConnectionFactory factory;
    /** Every native step that starts or stops send streams, in order; the only thread that stops the recording. */
    private final ExecutorService control = Executors.newSingleThreadExecutor(daemon("webrtc-control"));
    /** Delays only: never runs a native step itself. */
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemon("webrtc-timer"));
    /** Connections whose set-up or teardown may have (re)started the recording, with the deadline of that doubt. */
    private final Map<Object, Long> unsettled = new ConcurrentHashMap<>();
    private final AtomicLong lastTeardown = new AtomicLong(System.nanoTime() - TEARDOWN_QUIET_NANOS);
    /** A test seam: what stopping the recording is (the native call, unless a test wraps it). */
    private volatile Runnable stopRecording;

    private WebRtcEngine() {
        long started = System.nanoTime();
        audioModule = new HeadlessAudioDeviceModule();
        factory = new PeerConnectionFactory(audioModule);
        stopRecording = audioModule::stopRecording;
        LOG.info("webrtc-java factory ready in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    /** The process's engine, created on first use (which loads the native library). */
    public static synchronized WebRtcEngine shared() {
        if (shared == null) {
            shared = new WebRtcEngine();
        }
        return shared;
    }

    PeerConnectionFactory factory() {
        return factory;
    }

    // ---- the control thread -----------------------------------------------------------------------------------

    /**
     * Runs a native step that starts or stops send streams on the control thread, after the steps queued before it,
     * and waits for it at most {@code bound}. On time-out the step stays queued (or running): it still happens, in
     * order, if the thread comes free; the caller goes on.
     *
     * @throws TimeoutException when the step did not finish within the bound (the thread is busy or wedged)
     * @throws Exception        what the step threw
     */
    <T> T onControlThread(String what, Duration bound, Callable<T> step) throws Exception {
        Future<T> done = control.submit(step);
        try {
            return done.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            LOG.warn("webrtc: {} did not finish within {} ms; going on without it (it stays queued on the control"
                    + " thread)", what, bound.toMillis());
            throw e;
        }
    }

    /**
     * Runs {@code then} once the module's recording is stopped again after a connection came up. The waiting is
     * done by timers, never on the control thread or a WebRTC callback thread ({@code stopRecording()} from the
     * signalling thread deadlocks); the stop itself runs on the control thread, after the steps queued before it,
     * and is put off while a teardown is less than a second old.
     */
    void quietRecording(Runnable then) {
        timers.schedule(() -> stopWhenQuiet(then), SETTLE_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    private void stopWhenQuiet(Runnable then) {
        try {
            control.execute(() -> {
                long since = System.nanoTime() - lastTeardown.get();
                if (since < TEARDOWN_QUIET_NANOS) {
                    // Decided here, on the control thread, so that no close can slip in between check and stop.
                    timers.schedule(() -> stopWhenQuiet(then),
                            Math.max(1, (TEARDOWN_QUIET_NANOS - since) / 1_000_000), TimeUnit.MILLISECONDS);
                    return;
                }
                try {
                    stopRecording.run();
                } catch (RuntimeException e) {
                    LOG.debug("stopRecording: {}", e.toString());
                }
                timers.execute(() -> runQuietly(then));
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("webrtc engine shut down: {}", e.toString());
        }
    }

    private static void runQuietly(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("webrtc: a connected callback failed: {}", e.toString());
        }
    }

    /**
     * Test seam: wraps the native {@code stopRecording} (e.g. to make it as slow as the native hang once seen) and
     * returns what was there before, to put back.
     */
    Runnable swapStopRecording(java.util.function.UnaryOperator<Runnable> wrap) {
        Runnable before = stopRecording;
        stopRecording = wrap.apply(before);
        return before;
    }

    void restoreStopRecording(Runnable before) {
        stopRecording = before;
    }

    // ---- settling ---------------------------------------------------------------------------------------------

    /**
     * A connection is being set up or torn down: until it is {@linkplain #settle settled}, or its deadline passes,
     * the module may be recording again and no frame may be pushed into any call (see the class comment).
     */
    void unsettle(Object connection, Duration deadline) {
        unsettled.put(connection, System.nanoTime() + deadline.toNanos());
    }

    void settle(Object connection) {
        unsettled.remove(connection);
    }

    /** A connection was closed or lost: its send stream is going away on the worker thread. */
    void noteTeardown() {
        lastTeardown.set(System.nanoTime());
    }

    /** False while some connection is settling: hold the frame (the pacer's next tick comes in 10 ms). */
    public boolean mayPush() {
        if (unsettled.isEmpty()) {
            return true;
        }
        long now = System.nanoTime();
        unsettled.values().removeIf(deadline -> deadline - now < 0);
        return unsettled.isEmpty();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
