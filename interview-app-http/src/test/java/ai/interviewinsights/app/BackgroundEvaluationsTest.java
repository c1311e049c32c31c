package ai.interviewinsights.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.port.in.EvaluateInterviewUseCase;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A runner reports its end again when it did not hear the answer (a retry after a timeout, its ticks after an
 * outage), and every report says the transcript is final: the control plane asks the model once per session at a
 * time, however often the end is reported, and again only once that evaluation is over (the service then answers
 * with the completed session's evaluation without asking the model).
 */
class BackgroundEvaluationsTest {

    @Test
    void a_repeated_end_report_queues_no_second_evaluation_while_the_first_is_queued_or_running() throws Exception {
        TenantId tenant = new TenantId(UUID.randomUUID());
        SessionId session = new SessionId(UUID.randomUUID());
        SessionId other = new SessionId(UUID.randomUUID());
        List<SessionId> asked = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(3);
        EvaluateInterviewUseCase slowModel = (t, s) -> {
            asked.add(s);
            try {
                if (s.equals(session) && asked.stream().filter(session::equals).count() == 1) {
                    started.countDown();
                    assertTrue(release.await(10, TimeUnit.SECONDS));
                }
                return null;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                finished.countDown();
            }
        };
        try (BackgroundEvaluations queue = new BackgroundEvaluations(slowModel)) {
            queue.queue(tenant, session);
            assertTrue(started.await(10, TimeUnit.SECONDS));
            queue.queue(tenant, session); // the runner's retry while the model is asked
            queue.queue(tenant, session);
            queue.queue(tenant, other); // another session is not held up by it
            release.countDown();
            waitUntil(() -> asked.size() >= 2);
            Thread.sleep(200); // (a second evaluation of the first session, were it queued, would be asked by now)
            assertEquals(1, asked.stream().filter(session::equals).count(), "asked once while in flight: " + asked);

            queue.queue(tenant, session); // over now: a later report reaches the service again, which answers it
            assertTrue(finished.await(10, TimeUnit.SECONDS));
            assertEquals(3, asked.size(), "the first session twice in all, the other once: " + asked);
            assertEquals(2, asked.stream().filter(session::equals).count());
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 10 s");
            Thread.sleep(10);
        }
    }
}
