package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.runner.RunnerId;
import java.util.List;

/**
 * The reconciler (a system job): runners whose session is over or unknown, older than a grace period, are
 * destroyed, so no machine is left running (and billed) without an interview.
 */
public interface ReconcileRunnersUseCase {

    ReconcileReport reconcile();

    /** @param destroyed runner ids destroyed; kept: runners left alone (live session, or within the grace period) */
    record ReconcileReport(List<RunnerId> destroyed, List<RunnerId> kept) {
        public ReconcileReport {
            destroyed = List.copyOf(destroyed);
            kept = List.copyOf(kept);
        }
    }
}
