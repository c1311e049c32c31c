package ai.interviewinsights.app;

import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.port.in.EvaluateInterviewUseCase;
import ai.interviewinsights.domain.port.out.EvaluationQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's {@link EvaluationQueue}: evaluations run off the request that reported the end, two at a time,
 * so a runner's end report returns at once and the evaluation (a model call of up to minutes) follows in the
 * background.
 */
final class BackgroundEvaluations implements EvaluationQueue, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundEvaluations.class);

    private final EvaluateInterviewUseCase evaluate;
    private final ExecutorService workers = Executors.newFixedThreadPool(2, Jobs.daemon("evaluation"));
    /** Sessions whose evaluation is queued or running on this instance. */
    private final java.util.Set<SessionId> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();

    BackgroundEvaluations(EvaluateInterviewUseCase evaluate) {
        this.evaluate = evaluate;
    }

    /**
     * Queues the evaluation of an interview whose runner has reported the end, unless one is queued or running for
     * it already: a runner reports its end again when it did not hear the answer (a retry after a timeout, its
     * ticks after an outage), and each report says the transcript is final. Two evaluations at once would both ask
     * the model (paid twice) and both be saved, only one of them attached. One that has finished is not repeated
     * either: the service returns the session's evaluation once it is completed.
     */
    @Override
    public void queue(TenantId tenant, SessionId session) {
        if (!inFlight.add(session)) {
            LOG.info("session {} is being evaluated already: its repeated end report queues nothing", session);
            return;
        }
        try {
            workers.submit(() -> {
                try {
                    Jobs.run("evaluator", () -> evaluate.evaluate(tenant, session));
                } finally {
                    inFlight.remove(session);
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.remove(session);
            // Shutting down while a runner reports its end: the end is recorded; the reaper of the next start
            // evaluates the session, so the runner must not get a 500 for it.
            LOG.info("session {} is evaluated after the next start (this instance is shutting down)", session);
        }
    }

    @Override
    public void close() {
        workers.shutdown();
    }
}
