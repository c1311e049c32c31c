package ai.interviewinsights.app;

import ai.interviewinsights.app.web.RequestIds;
import ai.interviewinsights.app.observability.Metrics;
import io.javalin.config.JavalinConfig;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request of the control plane: a request id (echoed, and in the logs' MDC), one log line with the matched
 * route (never the raw path, which may carry ids) and status, and the request's duration in the metrics.
 */
final class HttpObservability {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneApp.class);
    private static final String STARTED = "started-nanos";

    private HttpObservability() {
    }

    static void install(JavalinConfig config, Metrics metrics) {
        config.routes.before(ctx -> {
            RequestIds.assign(ctx);
            ctx.attribute(STARTED, System.nanoTime());
        });
        config.routes.after(ctx -> {
            Long started = ctx.attribute(STARTED);
            var matched = ctx.endpoints().matchedHttpEndpoint();
            String route = matched == null ? "unmatched" : matched.path;
            if (started != null) {
                metrics.request(ctx.method().name(), route, ctx.statusCode(),
                        Duration.ofNanos(System.nanoTime() - started));
            }
            LOG.info("{} {} -> {}", ctx.method(), route, ctx.statusCode());
            RequestIds.clear();
        });
    }
}
