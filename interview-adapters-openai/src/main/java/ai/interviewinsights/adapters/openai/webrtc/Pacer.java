package ai.interviewinsights.adapters.openai.webrtc;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes audio into a peer's voice track in real time: one 10 ms frame per tick of a fixed-rate schedule (anchored to
 * its start, so it does not drift), so that the frames pushed so far are the audio the candidate has heard (what a
 * barge-in truncates to). Pushing faster would fill WebRTC's buffers and make {@code audio_end_ms} a lie.
 *
 * <p>While a connection of the process is settling ({@link WebRtcEngine#mayPush}) a tick is skipped and the frame
 * held, not dropped: the source is not asked for it. A tick that throws is logged and the schedule goes on (a
 * fixed-rate task stops for good on an exception).
 *
 * <p>Each frame is asked for with its tick's scheduled time, not the time the tick happens to run: after a stall of the
 * ticker's thread the missed ticks run back to back, and a frame stamped "now" would be placed after the stall's
 * silence, so a call recording's played channel would run ahead of the other by the length of the stall for the rest
 * of the call.
 */
public final class Pacer {

    private static final Logger LOG = LoggerFactory.getLogger(Pacer.class);
    private static final long TICK_NANOS = 10_000_000L;

    /** Where the frames come from. Called on the ticker's thread, one call at a time. */
    public interface Frames {
        /**
         * The next 480 samples (10 ms at 48 kHz) to push, or null when there is nothing more: the pacing then stops
         * and its {@code ended} callback runs.
         *
         * @param nowNanos when this frame is due ({@link System#nanoTime()}'s scale): the tick's scheduled time
         */
        short[] next(long nowNanos);
    }

    /** A running pacing; {@link #stop()} is idempotent. */
    public interface Pacing {
        void stop();
    }

    private Pacer() {
    }

    /**
     * Starts pushing {@code frames} into {@code peer} every 10 ms on {@code ticks}.
     *
     * @param ended runs once when {@code frames} ran out (not when stopped)
     */
    public static Pacing start(ScheduledExecutorService ticks, AnsweringPeer peer, Frames frames, Runnable ended) {
        return start(ticks, peer::mayPush, peer::push, frames, ended);
    }

    static Pacing start(ScheduledExecutorService ticks, BooleanSupplier mayPush, Consumer<short[]> push, Frames frames,
                        Runnable ended) {
        AtomicBoolean over = new AtomicBoolean();
        AtomicLong tick = new AtomicLong();
        long origin = System.nanoTime();
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        Runnable stop = () -> {
            over.set(true);
            ScheduledFuture<?> running = task.get();
            if (running != null) {
                running.cancel(false);
            }
        };
        task.set(ticks.scheduleAtFixedRate(() -> {
            long due = origin + tick.getAndIncrement() * TICK_NANOS;
            if (over.get()) {
                return;
            }
            try {
                if (!mayPush.getAsBoolean()) {
                    return;
                }
                short[] frame = frames.next(due);
                if (frame == null) {
                    stop.run();
                    ended.run();
                    return;
                }
                push.accept(frame);
            } catch (RuntimeException e) {
                LOG.warn("a playback tick failed: {}", e.toString());
            }
        }, 0, TICK_NANOS, TimeUnit.NANOSECONDS));
        if (over.get()) {
            task.get().cancel(false); // stopped (or ran out) before the schedule was stored
        }
        return stop::run;
    }
}
