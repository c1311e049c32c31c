package ai.interviewinsights.app.e2e;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one way the end-to-end tests wait for something that happens in another process or thread: poll a probe until
 * it answers, or fail after a generous bound, saying what was awaited and what was seen instead. The bound is a
 * sanity limit, never the thing under test (timing stays out of pass/fail); the poll interval is short so that a
 * passing test waits no longer than the system takes.
 *
 * <pre>{@code
 * Eventually.until("the session is failed", Duration.ofSeconds(30), () -> status(id).equals("failed"),
 *         () -> "status " + status(id));
 * JsonNode ack = Eventually.value("an ack", Duration.ofSeconds(20), () -> firstAck(), () -> "received " + received);
 * }</pre>
 *
 * A probe that throws fails the wait at once: an error is an answer, not a "not yet".
 */
public final class Eventually {

    /** How often a probe is asked. */
    static final Duration POLL = Duration.ofMillis(20);

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
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> answer = probe.get();
            if (answer.isPresent()) {
                return answer.get();
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("not within " + timeout + ": " + what + "; seen: " + seen.get());
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
