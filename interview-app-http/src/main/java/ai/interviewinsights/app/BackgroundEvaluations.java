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

    BackgroundEvaluations(EvaluateInterviewUseCase evaluate) {
        this.evaluate = evaluate;
    }

    /** Queues the evaluation of an interview whose runner has reported the end. */
    @Override
    public void queue(TenantId tenant, SessionId session) {
        try {
            workers.submit(() -> Jobs.run("evaluator", () -> evaluate.evaluate(tenant, session)));
        } catch (RejectedExecutionException e) {
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
