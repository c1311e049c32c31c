package ai.interviewinsights.domain.testing;

import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.port.in.EvaluateInterviewUseCase;
import ai.interviewinsights.domain.port.out.EvaluationQueue;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An {@link EvaluationQueue} that remembers what was queued, in order, and runs each evaluation inline (as an
 * embedder's queue would), or not at all when a test wants only to see the decision.
 */
public final class FakeEvaluationQueue implements EvaluationQueue {

    /** One queueing. */
    public record Queued(TenantId tenant, SessionId session) {
        public Queued {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(session, "session");
        }
    }

    private final List<Queued> queued = new CopyOnWriteArrayList<>();
    private final boolean evaluates;
    private volatile EvaluateInterviewUseCase evaluate;

    private FakeEvaluationQueue(boolean evaluates) {
        this.evaluates = evaluates;
    }

    /** A queue that evaluates each session inline, on the thread that queued it. */
    public static FakeEvaluationQueue evaluatingInline() {
        return new FakeEvaluationQueue(true);
    }

    /** A queue that only records: nothing is evaluated. */
    public static FakeEvaluationQueue recordingOnly() {
        return new FakeEvaluationQueue(false);
    }

    /** What {@code InterviewServices.create} takes: binds this queue to the evaluation it runs. */
    public Function<EvaluateInterviewUseCase, EvaluationQueue> over() {
        return use -> {
            this.evaluate = use;
            return this;
        };
    }

    @Override
    public void queue(TenantId tenant, SessionId session) {
        queued.add(new Queued(tenant, session));
        if (evaluates) {
            evaluate.evaluate(tenant, session);
        }
    }

    /** Every queueing so far, oldest first. */
    public List<Queued> queued() {
        return List.copyOf(queued);
    }

    /** How many times the session was queued. */
    public long timesQueued(SessionId session) {
        return queued.stream().filter(q -> q.session().equals(session)).count();
    }
}
