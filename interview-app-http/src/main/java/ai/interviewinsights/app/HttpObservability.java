package ai.interviewinsights.app;

import ai.interviewinsights.app.controlplane.runnerapi.RunnerApi;
import ai.interviewinsights.app.web.JavalinRequestIds;
import ai.interviewinsights.app.web.RequestIds;
import ai.interviewinsights.app.observability.Metrics;
import io.javalin.config.JavalinConfig;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request of the control plane: a request id (echoed, and in the logs' MDC), one log line with the matched
 * route (never the raw path, which may carry ids) and status, and the request's duration in the metrics.
 *
 * <p>The runners' hot internal routes ({@link #HOT_ROUTES}: the transcript writes, one per runner batch) are the
 * exception (decision 26): under load they were most of the control plane's log lines, and each line went through
 * the JSON encoder's credential masking (several regular expressions over every value). Their line is written at
 * INFO only when an operator needs it - an error (status 400 or more) or a slow request ({@link #SLOW} or longer,
 * with the duration) - and at DEBUG otherwise, so at the default level a healthy write costs no log event at all.
 * Every request, hot or not, is still counted and timed in {@code http_server_requests_seconds}. The lines that are
 * written go through the same encoder and masking as before.
 */
final class HttpObservability {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneApp.class);
    private static final String STARTED = "started-nanos";

    /** The routes a runner calls for every batch of its session: logged at INFO only when failed or slow. */
    static final Set<String> HOT_ROUTES = Set.of(RunnerApi.TRANSCRIPT);

    /** A hot request that takes this long is logged at INFO even when it succeeded. */
    static final Duration SLOW = Duration.ofMillis(500);

    private HttpObservability() {
    }

    static void install(JavalinConfig config, Metrics metrics) {
        config.routes.before(ctx -> {
            JavalinRequestIds.assign(ctx);
            ctx.attribute(STARTED, System.nanoTime());
        });
        config.routes.after(ctx -> {
            Long started = ctx.attribute(STARTED);
            var matched = ctx.endpoints().matchedHttpEndpoint();
            String route = matched == null ? "unmatched" : matched.path;
            Duration took = started == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - started);
            int status = ctx.statusCode();
            if (started != null) {
                metrics.request(ctx.method().name(), route, status, took);
            }
            if (!HOT_ROUTES.contains(route)) {
                LOG.info("{} {} -> {}", ctx.method(), route, status);
            } else if (loudly(status, took)) {
                LOG.info("{} {} -> {} in {} ms", ctx.method(), route, status, took.toMillis());
            } else if (LOG.isDebugEnabled()) {
                LOG.debug("{} {} -> {} in {} ms", ctx.method(), route, status, took.toMillis());
            }
            RequestIds.clear();
        });
    }

    /** Whether a hot route's request is logged at INFO: it failed, or it was slow. */
    static boolean loudly(int status, Duration took) {
        return status >= 400 || took.compareTo(SLOW) >= 0;
    }
}
