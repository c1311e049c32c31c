package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.interview.Architecture;
import java.time.Duration;

/**
 * What the standby-runner pools report (ADR 0020): each claim, a hit (a standby was bound to the session) or a miss
 * (none was ready, or none is kept for it: a cold start), with how long the provisioner took; and each standby runner
 * added or dropped. A provisioner with no pool in front of it reports its cold starts as misses too, so cold starts
 * are counted in every configuration.
 */
public interface RunnerPoolMetrics {

    /** Reports nothing. */
    RunnerPoolMetrics NONE = new RunnerPoolMetrics() {
        @Override
        public void claimed(Architecture architecture, boolean hit, Duration took) {
        }

        @Override
        public void refilled(Architecture architecture, String outcome) {
        }
    };

    void claimed(Architecture architecture, boolean hit, Duration took);

    /** A refill's outcome: {@code started}, {@code failed}, {@code throttled} (Fly's 429), {@code drained}. */
    void refilled(Architecture architecture, String outcome);
}
