package ai.interviewinsights.app.runner;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Jetty's timers (idle timeouts and the like) on the runner's own timer thread, instead of a scheduler thread of
 * Jetty's: a runner serves one browser, and a machine holds hundreds of runners, so each thread saved is saved
 * hundreds of times (docs/performance.md). Jetty's tasks are short; nothing on that thread blocks (the runner's
 * writes to the control plane run elsewhere).
 */
final class SharedScheduler extends AbstractLifeCycle implements Scheduler {

    private final ScheduledExecutorService timer;

    SharedScheduler(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    @Override
    public Task schedule(Runnable task, long delay, TimeUnit unit) {
        ScheduledFuture<?> future = timer.schedule(task, delay, unit);
        return () -> future.cancel(false);
    }
}
