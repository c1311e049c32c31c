package ai.interviewinsights.app.controlplane.ops;

import ai.interviewinsights.app.web.BadRequest;
import ai.interviewinsights.app.observability.Metrics;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import ai.interviewinsights.domain.model.Secret;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Health, readiness, the OpenAPI document and Prometheus metrics. {@code /health} says how each integration is
 * configured in words, never where files live; {@code /metrics} is served either on its own port or behind a token
 * ({@link #installMetrics}).
 */
public final class OpsRoutes {

    /** One component's readiness: whether it works, and a word on how it is configured. */
    public record Check(boolean ok, String detail) {
    }

    private final Metrics metrics;
    private final Map<String, String> components;
    private final Map<String, Supplier<Check>> checks;

    /**
     * @param components how each integration is configured, e.g. {@code realtime: unconfigured (OPENAI_API_KEY)}
     * @param checks     what must work for the app to be ready (the database)
     */
    public OpsRoutes(Metrics metrics, Map<String, String> components, Map<String, Supplier<Check>> checks) {
        this.metrics = metrics;
        this.components = Map.copyOf(components);
        this.checks = checks;
    }

    public void install(JavalinConfig config) {
        config.routes.get("/health", ctx -> ctx.json(Map.of("status", "up", "components",
                new java.util.TreeMap<>(components))));
        config.routes.get("/ready", ctx -> {
            Map<String, Check> results = new LinkedHashMap<>();
            boolean ready = true;
            for (Map.Entry<String, Supplier<Check>> check : checks.entrySet()) {
                Check result;
                try {
                    result = check.getValue().get();
                } catch (RuntimeException e) {
                    result = new Check(false, "check failed: " + e.getClass().getSimpleName());
                }
                results.put(check.getKey(), result);
                ready &= result.ok();
            }
            ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "ready" : "not_ready", "checks", results));
        });
        config.routes.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openApi()));
    }

    /**
     * Serves {@code /metrics} on this app, asking for {@code Authorization: Bearer <token>} when a token is given
     * (compared in constant time; a wrong or missing one is a 401 problem {@code auth.metrics_token}).
     */
    public void installMetrics(JavalinConfig config, Optional<Secret> token) {
        config.routes.get("/metrics", ctx -> {
            if (token.isPresent() && !bearerMatches(ctx.header("Authorization"), token.get())) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"metrics\"");
                throw new BadRequest(401, "auth.metrics_token",
                        "/metrics needs 'Authorization: Bearer <METRICS_TOKEN>'");
            }
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
        });
    }

    private static boolean bearerMatches(String header, Secret token) {
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).strip() : "";
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                token.reveal().getBytes(StandardCharsets.UTF_8));
    }

    /** The OpenAPI document, the same file as docs/openapi.yaml (copied at build time). */
    public static String openApi() {
        try (InputStream in = OpsRoutes.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
