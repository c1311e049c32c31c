package ai.interviewinsights.app.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/** The app's metrics, scraped in Prometheus format at {@code /metrics}. Names follow Prometheus conventions. */
public final class Metrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
    }

    public void sessionStarted(String origin) {
        Counter.builder("interview_sessions_started").tag("origin", origin)
                .description("Interview sessions started").register(registry).increment();
    }

    public void transcriptEntries(int stored, int duplicates) {
        Counter.builder("interview_transcript_entries").tag("outcome", "stored").register(registry).increment(stored);
        Counter.builder("interview_transcript_entries").tag("outcome", "duplicate").register(registry)
                .increment(duplicates);
    }

    public void housekeeping(String job, int affected) {
        Counter.builder("interview_housekeeping_actions").tag("job", job).register(registry).increment(affected);
    }

    /** One HTTP request, tagged by route template (never the raw path: ids would explode the cardinality). */
    public void request(String method, String route, int status, Duration took) {
        Timer.builder("http_server_requests").tag("method", method).tag("route", route)
                .tag("status", Integer.toString(status)).register(registry).record(took);
    }

    public String scrape() {
        return registry.scrape();
    }
}
