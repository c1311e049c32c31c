package ai.interviewinsights.app.e2e;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one way the end-to-end tests wait for something that happens in another process or thread: poll a probe until
 * it answers, or fail after a generous bound, saying what was awaited and what was seen instead. The bound is a
 * sanity limit, never the thing under test (timing stays out of pass/fail): on a busy 2-core CI machine a runner JVM
 * may take seconds to start. {@code E2E_TIME_SCALE} (a number, default 1) stretches every bound on a slower machine.
 *
 * <pre>{@code
 * Eventually.until("the session is failed", Duration.ofSeconds(30), () -> status(id).equals("failed"),
 *         () -> "status " + status(id));
 * JsonNode ack = Eventually.value("an ack", Duration.ofSeconds(20), () -> firstAck(), () -> "received " + received);
 * String status = Eventually.until("cancelled", () -> status(id), "cancelled"::equals);
 * }</pre>
 *
 * With {@link Probe} a probe that throws fails the wait at once (an error is an answer, not a "not yet"); with a
 * {@link Callable} and a predicate an exception counts as "not yet" and is attached to the failure.
 */
public final class Eventually {

    /** The bound most waits use: long enough for a runner to start and an interview to end on a loaded machine. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    /** How often a {@link Probe} is asked. */
    static final Duration POLL = Duration.ofMillis(20);

    private static final double SCALE = scale();

    /** Something the test asks repeatedly; it may do I/O. */
    @FunctionalInterface
    public interface Probe<T> {
        T get() throws Exception;
    }

    private Eventually() {
    }

    /**
     * Waits until {@code condition} holds.
     *
     * @param what    what is awaited, for the failure message ("the runner's process is gone")
     * @param timeout the sanity bound
     * @param seen    what was seen instead, asked once when the bound has passed
     */
    public static void until(String what, Duration timeout, Probe<Boolean> condition, Supplier<String> seen)
            throws Exception {
        value(what, timeout, () -> Boolean.TRUE.equals(condition.get()) ? Optional.of(Boolean.TRUE)
                : Optional.empty(), seen);
    }

    /** Waits until {@code probe} yields a value, and returns it. */
    public static <T> T value(String what, Duration timeout, Probe<Optional<T>> probe, Supplier<String> seen)
            throws Exception {
        long deadline = System.nanoTime() + scaled(timeout).toNanos();
        while (true) {
            Optional<T> answer = probe.get();
            if (answer.isPresent()) {
                return answer.get();
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("not within " + timeout + (SCALE != 1 ? " x" + SCALE : "") + ": " + what
                        + "; seen: " + seen.get());
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Polls {@code probe} until its value satisfies {@code done}; returns that value, or fails saying what it saw. */
    public static <T> T until(String what, Duration timeout, Callable<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + scaled(timeout).toNanos();
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
            if (System.nanoTime() - deadline >= 0) {
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

    public static <T> T until(String what, Callable<T> probe, Predicate<T> done) throws Exception {
        return until(what, PATIENCE, probe, done);
    }

    /** Waits until the condition holds. */
    public static void until(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        until(what, timeout, condition, Boolean.TRUE::equals);
    }

    /** A bound stretched by {@code E2E_TIME_SCALE}, for waits that cannot poll (a future, a close code). */
    public static Duration scaled(Duration timeout) {
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
