package ai.interviewinsights.app;

import ai.interviewinsights.app.config.ControlPlaneSettings;
import ai.interviewinsights.app.config.MetricsSettings;
import ai.interviewinsights.app.config.SecretFiles;
import ai.interviewinsights.app.controlplane.Authenticator;
import ai.interviewinsights.app.controlplane.api.ConsoleRoutes;
import ai.interviewinsights.app.controlplane.api.ControlPlaneRoutes;
import ai.interviewinsights.app.controlplane.api.PlatformRoutes;
import ai.interviewinsights.app.controlplane.api.RateLimiter;
import ai.interviewinsights.app.controlplane.api.RoomRoutes;
import ai.interviewinsights.app.controlplane.api.WebRoutes;
import ai.interviewinsights.app.controlplane.ops.OpsRoutes;
import ai.interviewinsights.app.controlplane.runnerapi.RunnerApiRoutes;
import ai.interviewinsights.app.controlplane.webhooks.WebhookRoutes;
import ai.interviewinsights.app.observability.Metrics;
import ai.interviewinsights.app.web.Bodies;
import ai.interviewinsights.app.web.ErrorResponses;
import ai.interviewinsights.app.web.JettyProblems;
import ai.interviewinsights.app.web.Json;
import ai.interviewinsights.app.web.RequestIds;
import ai.interviewinsights.app.web.SecurityHeaders;
import ai.interviewinsights.app.web.ServedRoutes;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.service.InterviewServices;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The control plane's HTTP edge: the public API, the runner's internal API, the room, the console, the web client,
 * ops, the platform API, api.video's webhook and /metrics (on the main port behind a token, or on its own port).
 */
final class ControlPlaneHttp implements AutoCloseable {

    private final ControlPlaneSettings settings;
    private final InterviewServices services;
    private final Persistence persistence;
    private final Adapters adapters;
    private final Clock clock;
    private Javalin http;
    private Javalin metricsHttp;

    private ControlPlaneHttp(ControlPlaneSettings settings, InterviewServices services, Persistence persistence,
                             Adapters adapters, Clock clock) {
        this.settings = settings;
        this.services = services;
        this.persistence = persistence;
        this.adapters = adapters;
        this.clock = clock;
    }

    /** Builds every route and starts listening; {@code publicUrl} is the control plane's URL once it listens. */
    static ControlPlaneHttp start(ControlPlaneSettings settings, InterviewServices services, Persistence persistence,
                                  Adapters adapters, Authenticator authenticator, Metrics metrics,
                                  Supplier<URI> publicUrl, Clock clock, Path dataDir) {
        ControlPlaneHttp edge = new ControlPlaneHttp(settings, services, persistence, adapters, clock);
        try {
            edge.serve(authenticator, metrics, publicUrl, dataDir);
            return edge;
        } catch (RuntimeException e) {
            edge.close();
            throw e;
        }
    }

    private void serve(Authenticator authenticator, Metrics metrics, Supplier<URI> publicUrl, Path dataDir) {
        ObjectMapper json = Json.mapper();
        ErrorResponses errors = new ErrorResponses(json);
        Optional<URI> supabaseUrl = settings.auth().supabaseUrl();
        boolean recording = adapters.recording().isPresent();
        URI apiVideo = settings.apiVideo().baseUrl();
        ControlPlaneRoutes api = new ControlPlaneRoutes(services, authenticator, new Bodies(json),
                new RateLimiter(persistence.store().rateLimits(), settings.limits().sessionsPerMinutePerTenant()),
                recording, publicUrl, metrics,
                new ai.interviewinsights.app.web.ClientAddress(settings.server().clientIpHeader()));
        RunnerApiRoutes runnerApi = new RunnerApiRoutes(services, authenticator, new Bodies(json), metrics);
        OpsRoutes ops = new OpsRoutes(metrics, adapters.components(settings, persistence), Map.of("database",
                () -> new OpsRoutes.Check(persistence.ping(), persistence.description())));
        Optional<Secret> serviceRoleKey = settings.platform().serviceRoleKey();
        PlatformRoutes platform = new PlatformRoutes(Onboarding.useCase(persistence.store(), supabaseUrl,
                serviceRoleKey, clock), serviceRoleKey, new Bodies(json));
        RoomRoutes room = new RoomRoutes(services, authenticator, new Bodies(json), new RoomRoutes.RoomConfig(
                recording ? apiVideo.resolve("/upload").toString() : null, settings.web().recordingPartBytes()));
        List<String> connectSources = new ArrayList<>(List.of("ws:", "wss:"));
        if (recording) {
            connectSources.add(origin(apiVideo));
        }
        supabaseUrl.ifPresent(url -> connectSources.add(origin(url)));
        WebRoutes web = new WebRoutes(connectSources,
                adapters.recording().isPresent() ? settings.web().recordingMediaOrigins() : List.of());
        ConsoleRoutes console = new ConsoleRoutes(services, authenticator, new Bodies(json),
                new ConsoleRoutes.ConsoleConfig(settings.usesSupabaseAuth() ? "supabase" : "local",
                        supabaseUrl.map(Object::toString).orElse(null),
                        settings.web().supabaseAnonKey().orElse(null),
                        settings.usesSupabaseAuth() ? settings.web().oauthProviders() : List.of()));
        Optional<WebhookRoutes> webhookRoutes = adapters.webhooks().map(w -> new WebhookRoutes(w,
                services.recordingReady(), errors));

        SecurityHeaders securityHeaders = new SecurityHeaders("https".equals(settings.server().publicUrl()
                .getScheme()));
        // /metrics: on its own port (Fly's private [metrics] port), or on the main port behind a token.
        MetricsSettings metricsSettings = settings.metrics();
        Optional<Secret> metricsToken = metricsTokenGenerated()
                ? Optional.of(SecretFiles.secret(dataDir.resolve("metrics-token"))) : metricsSettings.token();
        http = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = settings.server().host();
            config.jetty.port = settings.server().port();
            config.http.maxRequestSize = Bodies.JSON_LIMIT;
            config.jsonMapper(new JavalinJackson(json, false));
            // Jetty's own answers (unparsable URI, 414, 431) become problem documents with the same headers.
            config.jetty.modifyServer(new JettyProblems(json, securityHeaders)::install);
            securityHeadersOn(config, securityHeaders);
            if (!settings.server().corsOrigins().isEmpty()) {
                config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                    settings.server().corsOrigins().forEach(origin -> rule.allowHost(origin));
                    rule.exposeHeader(RequestIds.HEADER);
                    rule.exposeHeader("Retry-After"); // a 429's wait, readable by a page on another origin
                }));
            }
            HttpObservability.install(config, metrics);
            errors.install(config);
            api.install(config);
            runnerApi.install(config);
            room.install(config);
            console.install(config);
            web.install(config);
            ops.install(config);
            platform.install(config);
            if (metricsSettings.port().isEmpty()) {
                ops.installMetrics(config, metricsToken);
            }
            webhookRoutes.ifPresent(w -> w.install(config));
        }).start();
        if (metricsSettings.port().isPresent()) {
            metricsHttp = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.jetty.host = settings.server().host();
                config.jetty.port = metricsSettings.port().get();
                config.jetty.modifyServer(new JettyProblems(json, securityHeaders)::install);
                securityHeadersOn(config, securityHeaders);
                errors.install(config);
                ops.installMetrics(config, metricsToken);
            }).start();
        }
    }

    /**
     * Adds the security headers to every answer of this app, after its handler ran (so the content type is known);
     * what a handler set is never overwritten. Pages under {@code /interview/} are not API answers.
     */
    private static void securityHeadersOn(io.javalin.config.JavalinConfig config, SecurityHeaders headers) {
        config.routes.after(ctx -> headers.headersFor(ctx.res().getContentType(),
                !ctx.path().startsWith("/interview/")).forEach((name, value) -> {
                    if (ctx.res().getHeader(name) == null) {
                        ctx.header(name, value);
                    }
                }));
    }

    /** Neither METRICS_TOKEN nor METRICS_PORT: a token is generated in the data directory. */
    boolean metricsTokenGenerated() {
        return settings.metrics().token().isEmpty() && settings.metrics().port().isEmpty();
    }


    int port() {
        return http.port();
    }

    Optional<Integer> metricsPort() {
        return Optional.ofNullable(metricsHttp).map(Javalin::port);
    }

    Set<String> servedRoutes() {
        return ServedRoutes.of(http);
    }

    @Override
    public void close() {
        if (metricsHttp != null) {
            metricsHttp.stop();
        }
        if (http != null) {
            http.stop();
        }
    }

    private static String origin(URI url) {
        return url.getScheme() + "://" + url.getAuthority();
    }
}
