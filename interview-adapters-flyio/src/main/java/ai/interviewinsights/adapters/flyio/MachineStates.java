package ai.interviewinsights.adapters.flyio;

import java.util.Set;

/** Fly's machine states, grouped by what they mean to a provisioner. */
final class MachineStates {

    static final String STARTED = "started";

    /** Gone or on its way out: not a runner anyone can use, and nothing for the reconciler to destroy. */
    private static final Set<String> GONE = Set.of("destroying", "destroyed", "replaced", "migrated");
    /** Parked: a retried provision may start it again rather than create a second machine. */
    private static final Set<String> PARKED = Set.of("stopped", "suspended");
    /** Will not become {@code started} by waiting. */
    private static final Set<String> BROKEN = Set.of("failed");
    /** On its way to parked: a runner's machine (restart {@code no}) whose process is exiting. */
    private static final Set<String> WINDING_DOWN = Set.of("stopping", "suspending");

    private MachineStates() {
    }

    static boolean isGone(String state) {
        return state != null && GONE.contains(state);
    }

    static boolean isStarted(String state) {
        return STARTED.equals(state);
    }

    static boolean isParked(String state) {
        return state != null && PARKED.contains(state);
    }

    static boolean isBroken(String state) {
        return state != null && BROKEN.contains(state);
    }

    static boolean isWindingDown(String state) {
        return state != null && WINDING_DOWN.contains(state);
    }
}
