package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.runner.RunnerId;
import java.util.List;

/**
 * Runner leases (a system job of every control-plane instance, ADR 0018): the instance vouches for the runners it
 * runs by renewing their leases, so any other instance can find them; a runner of its own whose lease is gone (its
 * session ended on another instance, or another instance gave the session a fresh runner) is stopped.
 */
public interface RenewRunnerLeasesUseCase {

    LeaseReport renewLeases();

    /**
     * This instance stops vouching for any runner (it shuts down after stopping its runners, or starts after its
     * killed predecessor's runners were destroyed): their leases end now rather than when they expire, so another
     * instance gives their sessions fresh runners at once.
     *
     * @return how many leases ended
     */
    int releaseLeases();

    /** @param renewed runners whose lease was extended; stopped: runners stopped because their lease was gone */
    record LeaseReport(List<RunnerId> renewed, List<RunnerId> stopped) {
        public LeaseReport {
            renewed = List.copyOf(renewed);
            stopped = List.copyOf(stopped);
        }
    }
}
