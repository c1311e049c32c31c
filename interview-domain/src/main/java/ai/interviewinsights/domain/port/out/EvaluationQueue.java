package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;

/**
 * Where the evaluation of a finished interview waits to run. The end use case queues a session here once its runner
 * has reported the end (the transcript is final then), so "evaluate after the end" is decided in one place, whatever
 * edge the end came through. The adapter chooses when and on which thread the evaluation runs: the control plane
 * queues it on a small worker pool so the runner's end report returns at once; an embedder may evaluate inline.
 */
@FunctionalInterface
public interface EvaluationQueue {

    /**
     * Queues the evaluation of the session. An adapter that runs it later must not fail the end because it cannot
     * queue it (shutting down): the reaper evaluates the sessions left ending.
     */
    void queue(TenantId tenant, SessionId session);
}
