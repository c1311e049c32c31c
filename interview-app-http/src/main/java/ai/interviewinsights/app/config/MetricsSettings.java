package ai.interviewinsights.app.config;

import ai.interviewinsights.domain.model.Secret;
import java.util.Optional;

/**
 * Where Prometheus reads {@code /metrics}: on a port of its own ({@code METRICS_PORT}; 0 picks a free one; e.g. Fly's private
 * {@code [metrics]} port, never routed from the internet), or on the main port behind a bearer token
 * ({@code METRICS_TOKEN}; the local default generates one in {@code DATA_DIR/metrics-token}). With both set, the
 * separate port asks for the token too. Kept apart from {@link ControlPlaneSettings} so that each concern reads its
 * own variables.
 */
public record MetricsSettings(Optional<Integer> port, Optional<Secret> token) {

    public static MetricsSettings from(Env env) {
        Optional<Integer> port = env.optional("METRICS_PORT").map(raw -> env.integer("METRICS_PORT", 0, 0, 65535));
        Optional<Secret> token = env.secret("METRICS_TOKEN");
        token.ifPresent(t -> {
            if (t.reveal().length() < 24) {
                env.problem("METRICS_TOKEN must be at least 24 characters");
            }
        });
        return new MetricsSettings(port, token);
    }

    @Override
    public String toString() {
        return "MetricsSettings[port " + port.map(String::valueOf).orElse("main") + ", token "
                + (token.isPresent() ? "set" : "unset") + "]";
    }
}
