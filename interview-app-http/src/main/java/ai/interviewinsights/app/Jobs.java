package ai.interviewinsights.app;

import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Background work of the control plane: named in the logs, and a failure logged, never fatal to the next run. */
final class Jobs {

    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

    private Jobs() {
    }

    static void run(String name, Runnable work) {
        MDC.put("job", name);
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed: {}", name, e.toString());
        } finally {
            MDC.remove("job");
        }
    }

    static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
