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
    private final Counter storedEntries = Counter.builder("interview_transcript_entries").tag("outcome", "stored")
            .register(registry);
    private final Counter duplicateEntries = Counter.builder("interview_transcript_entries")
            .tag("outcome", "duplicate").register(registry);

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
        // Once per transcript batch (the ingest path, decision 26): the two counters are registered once, not looked
        // up through a new builder on every batch.
        storedEntries.increment(stored);
        duplicateEntries.increment(duplicates);
    }

    public void housekeeping(String job, int affected) {
        Counter.builder("interview_housekeeping_actions").tag("job", job).register(registry).increment(affected);
    }

    /** One HTTP request, tagged by route template (never the raw path: ids would explode the cardinality). */
    public void request(String method, String route, int status, Duration took) {
        Timer.builder("http_server_requests").tag("method", method).tag("route", route)
                .tag("status", Integer.toString(status)).register(registry).record(took);
    }

    /**
     * The standby-runner pools' figures (ADR 0020): {@code interview_runner_pool_claims_total} by architecture and
     * outcome ({@code hit}: a standby was bound; {@code miss}: none was ready or none is kept, a cold start: with the
     * pool off every start is a miss, reported by the provisioner itself), the time from claim to a runner that takes
     * connections ({@code interview_runner_pool_claim_seconds}, with p50 and p99), and
     * {@code interview_runner_pool_refills_total} by outcome ({@code started}, {@code failed}, {@code throttled},
     * {@code drained}).
     */
    public ai.interviewinsights.domain.port.out.RunnerPoolMetrics runnerPool() {
        return new ai.interviewinsights.domain.port.out.RunnerPoolMetrics() {
            @Override
            public void claimed(ai.interviewinsights.domain.model.interview.Architecture architecture, boolean hit,
                                Duration took) {
                String outcome = hit ? "hit" : "miss";
                Counter.builder("interview_runner_pool_claims").tag("architecture", architecture.wireName())
                        .tag("outcome", outcome).description("Runner starts that claimed a standby (hit) or not")
                        .register(registry).increment();
                Timer.builder("interview_runner_pool_claim").tag("architecture", architecture.wireName())
                        .tag("outcome", outcome).publishPercentiles(0.5, 0.99)
                        .description("From a session's runner start to a runner taking connections")
                        .register(registry).record(took);
            }

            @Override
            public void refilled(ai.interviewinsights.domain.model.interview.Architecture architecture,
                                 String outcome) {
                Counter.builder("interview_runner_pool_refills").tag("architecture", architecture.wireName())
                        .tag("outcome", outcome).description("Standby runners started, failed, throttled, drained")
                        .register(registry).increment();
            }
        };
    }

    public String scrape() {
        return registry.scrape();
    }
}
