package ai.interviewinsights.app.e2e;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * The one way the end-to-end suites wait for something that happens on another process or thread. Timeouts are
 * generous sanity bounds, never the thing a test measures: on a busy 2-core CI machine a runner JVM may take
 * seconds to start. The poll backs off from 20 ms to 250 ms so waiting costs little CPU. {@code E2E_TIME_SCALE}
 * (a number, default 1) stretches every bound on a machine slower still.
 */
final class Eventually {

    /** The bound most waits use: long enough for a runner to start and an interview to end on a loaded machine. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    private static final double SCALE = scale();

    private Eventually() {
    }

    /** Polls {@code probe} until its value satisfies {@code done}; returns that value, or fails saying what it saw. */
    static <T> T until(String what, Duration timeout, Callable<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + (long) (timeout.toNanos() * SCALE);
        long pause = 20;
        T last = null;
        Exception failure = null;
        while (true) {
            try {
                last = probe.call();
                failure = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (Exception e) {
                failure = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError error = new AssertionError("not " + what + " within " + timeout
                        + (SCALE != 1 ? " x" + SCALE : "") + "; last seen: " + last);
                if (failure != null) {
                    error.addSuppressed(failure);
                }
                throw error;
            }
            Thread.sleep(pause);
            pause = Math.min(250, pause * 2);
        }
    }

    static <T> T until(String what, Callable<T> probe, Predicate<T> done) throws Exception {
        return until(what, PATIENCE, probe, done);
    }

    /** Waits until the condition holds. */
    static void until(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        until(what, timeout, condition, Boolean.TRUE::equals);
    }

    /** A bound stretched by {@code E2E_TIME_SCALE}, for waits that cannot poll (a future, a close code). */
    static Duration scaled(Duration timeout) {
        return Duration.ofNanos((long) (timeout.toNanos() * SCALE));
    }

    private static double scale() {
        String raw = System.getenv("E2E_TIME_SCALE");
        try {
            return raw == null || raw.isBlank() ? 1 : Math.max(1, Double.parseDouble(raw));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
