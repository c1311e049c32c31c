package ai.interviewinsights.domain.model.session;

import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import java.time.Instant;
import java.util.Optional;

/**
 * A runner's marching orders, fetched from the control plane with its session token: the session's status and the
 * Realtime configuration to relay offers with.
 *
 * @param storedEntries how many transcript entries are already stored (a restarted runner continues after them)
 * @param deadline      when the session's time budget runs out (its call first connected plus its budget), or null
 *                      while no call has connected; a runner that replaces a lost one keeps this deadline instead of
 *                      starting a fresh budget
 * @param recordCallAudio whether the runner records the call's own audio and uploads it at the end: a proxy session
 *                        whose recording is on (the browser's upload token was issued); never for a hybrid session,
 *                        whose audio does not pass the runner
 */
public record RunnerAssignment(SessionStatus status, RealtimeSessionConfig realtime, long storedEntries,
                               Instant deadline, boolean recordCallAudio) {

    public RunnerAssignment {
        Require.present(status, "status");
        Require.present(realtime, "realtime");
        if (storedEntries < 0) {
            throw new IllegalArgumentException("storedEntries must not be negative");
        }
    }

    /** Orders that record no call audio. */
    public RunnerAssignment(SessionStatus status, RealtimeSessionConfig realtime, long storedEntries,
                            Instant deadline) {
        this(status, realtime, storedEntries, deadline, false);
    }

    /** Orders for a session whose call has not connected yet (no deadline is running). */
    public RunnerAssignment(SessionStatus status, RealtimeSessionConfig realtime, long storedEntries) {
        this(status, realtime, storedEntries, null, false);
    }

    /** The session's deadline, once its first call connected. */
    public Optional<Instant> timeBudgetEnds() {
        return Optional.ofNullable(deadline);
    }
}
