package ai.interviewinsights.domain.model.session;

import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;

/**
 * A runner's marching orders, fetched from the control plane with its session token: the session's status and the
 * Realtime configuration to relay offers with.
 *
 * @param storedEntries how many transcript entries are already stored (a restarted runner continues after them)
 */
public record RunnerAssignment(SessionStatus status, RealtimeSessionConfig realtime, long storedEntries) {

    public RunnerAssignment {
        Require.present(status, "status");
        Require.present(realtime, "realtime");
        if (storedEntries < 0) {
            throw new IllegalArgumentException("storedEntries must not be negative");
        }
    }
}
