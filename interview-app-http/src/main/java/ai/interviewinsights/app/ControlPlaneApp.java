package ai.interviewinsights.app;

import ai.interviewinsights.adapters.openai.local.LocalRealtime;
import ai.interviewinsights.adapters.supabase.SupabaseStore;
import ai.interviewinsights.app.config.ControlPlaneSettings;
import ai.interviewinsights.app.config.Env;
import ai.interviewinsights.app.config.MetricsSettings;
import ai.interviewinsights.app.config.ModelSettings;
import ai.interviewinsights.app.controlplane.Authenticator;
import ai.interviewinsights.app.web.Bodies;
import ai.interviewinsights.app.controlplane.api.ConsoleRoutes;
import ai.interviewinsights.app.controlplane.api.ControlPlaneRoutes;
import ai.interviewinsights.app.web.ErrorResponses;
import ai.interviewinsights.app.web.JettyProblems;
import ai.interviewinsights.app.web.Json;
import ai.interviewinsights.app.controlplane.ops.OpsRoutes;
import ai.interviewinsights.app.controlplane.api.PlatformRoutes;
import ai.interviewinsights.app.controlplane.api.RateLimiter;
import ai.interviewinsights.app.web.RequestIds;
import ai.interviewinsights.app.controlplane.api.RoomRoutes;
import ai.interviewinsights.app.web.SecurityHeaders;
import ai.interviewinsights.app.controlplane.api.WebRoutes;
import ai.interviewinsights.app.controlplane.webhooks.WebhookRoutes;
import ai.interviewinsights.app.local.LocalDefaults;
import ai.interviewinsights.app.local.LocalProcessRunnerProvisioner;
import ai.interviewinsights.app.config.SecretFiles;
import ai.interviewinsights.app.observability.Metrics;
import ai.interviewinsights.app.controlplane.runnerapi.RunnerApiRoutes;
import ai.interviewinsights.app.tokens.CompositeAccessTokenVerifier;
import ai.interviewinsights.app.tokens.SessionTokens;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.interview.ModelRetirements;
import ai.interviewinsights.domain.model.interview.SettingsCatalog;
import ai.interviewinsights.domain.port.in.FailInterviewUseCase;
import ai.interviewinsights.domain.service.InterviewPolicies;
import ai.interviewinsights.domain.service.InterviewPorts;
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
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane, wired: the one place where configuration picks each port's adapter or its local default
 * ({@link Adapters}), hands them to the domain's services, and exposes those over HTTP. The parts it composes are
 * named: {@link Adapters} (adapter selection), {@link HttpObservability} (request ids, logs and metrics),
 * {@link Housekeeping} (the scheduled jobs), {@link EvaluationQueue} (evaluations after the end) and {@link Banner}.
 */
public final class ControlPlaneApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneApp.class);

    private final ControlPlaneSettings settings;
    private final Clock clock;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Persistence persistence;
    private Adapters adapters;
    private InterviewServices services;
    private List<String> modelWarnings = List.of();
    private LocalDefaults.Bootstrap bootstrap;
    private Housekeeping housekeeping;
    private EvaluationQueue evaluations;
    private Javalin http;
    private Javalin metricsHttp;

    private ControlPlaneApp(ControlPlaneSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Reads the configuration, connects everything and starts serving.
     *
     * @throws ai.interviewinsights.app.config.ConfigurationException listing every problem with the environment
     */
    public static ControlPlaneApp start(Map<String, String> environment) {
        return start(environment, Clock.systemUTC());
    }

    /** Like {@link #start(Map)} on the given clock (tests: the model-retirement check depends on the date). */
    public static ControlPlaneApp start(Map<String, String> environment, Clock clock) {
        Env env = new Env(environment);
        ControlPlaneSettings settings = ControlPlaneSettings.from(env);
        env.requireValid();
        ControlPlaneApp app = new ControlPlaneApp(settings, clock);
        try {
            app.wire();
            return app;
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
    }

    private void wire() {
        Path dataDir = SecretFiles.directory(settings.server().dataDir());
        persistence = SupabaseWiring.persistence(settings, dataDir);
        resources.add(persistence);
        SessionTokens sessionTokens = new SessionTokens(settings.auth().sessionTokenSecret()
                .orElseGet(() -> SecretFiles.secret(dataDir.resolve("session-token-secret"))), clock);
        SupabaseWiring.StaffAuth staffAuth = SupabaseWiring.staffAuth(settings, dataDir, clock);
        adapters = Adapters.select(settings, dataDir, persistence, clock, this::publicUrl, this::runnerLost,
                resources);

        SupabaseStore store = persistence.store();
        services = InterviewServices.create(new InterviewPorts(store.tenants(), store.positions(),
                store.candidates(), store.sessions(), store.transcripts(), store.invites(),
                store.evaluations(), store.audit(), store.consents(), adapters.realtime(), adapters.runners(),
                adapters.recording(), adapters.evaluator(), sessionTokens, new RandomIds(), clock, store.erasure()),
                policies());
        if (!settings.usesSupabaseAuth()) {
            bootstrap = LocalDefaults.bootstrap(services, staffAuth.minter().orElseThrow(), dataDir,
                    settings.auth().defaultTenantName());
        }

        Metrics metrics = new Metrics();
        evaluations = new EvaluationQueue(services.evaluateInterview());
        serve(new Authenticator(new CompositeAccessTokenVerifier(sessionTokens, staffAuth.verifier())), metrics,
                dataDir);
        housekeeping = new Housekeeping(services, persistence, metrics, settings.limits(), adapters.localRunners());
        new Banner(publicUrl(), port(), settings, adapters.localRealtime(), modelWarnings, metricsPort(),
                metricsTokenGenerated(), bootstrap()).print();
    }

    /**
     * The interview settings operators may choose from: the defaults, the voices and models OpenAI added after this
     * release, and the configured models checked against their announced retirement (a warning within 60 days of a
     * shutdown, a refusal after it).
     */
    private InterviewPolicies policies() {
        SettingsCatalog base = SettingsCatalog.defaults();
        base = new SettingsCatalog(base.voices().extendedWith(settings.openAi().extraVoices()), base.realtimeModels(),
                base.transcriptionModels(), base.defaultVoice(), base.defaultLanguage(), base.defaultModel(),
                base.defaultTranscriptionModel(), base.defaultMaxDuration(), base.defaultArchitecture());
        ModelSettings.Check models = settings.models().apply(base, settings.openAi().extraRealtimeModels(),
                settings.openAi().evaluationModel(), settings.openAi().key().isPresent(),
                ModelRetirements.announced(), java.time.LocalDate.now(clock));
        models.warnings().forEach(w -> LOG.warn("model retirement: {}", w));
        modelWarnings = models.warnings();
        return InterviewPolicies.defaults().withSettings(models.catalog())
                .withIdleTimeout(settings.limits().idleTimeout());
    }

    /** The HTTP edge: the API, the room, the console, the web client, ops, the platform API, webhooks, /metrics. */
    private void serve(Authenticator authenticator, Metrics metrics, Path dataDir) {
        ObjectMapper json = Json.mapper();
        ErrorResponses errors = new ErrorResponses(json);
        Optional<URI> supabaseUrl = settings.auth().supabaseUrl();
        boolean recording = adapters.recording().isPresent();
        URI apiVideo = settings.apiVideo().baseUrl();
        ControlPlaneRoutes api = new ControlPlaneRoutes(services, authenticator, new Bodies(json),
                new RateLimiter(persistence.store().rateLimits(), settings.limits().sessionsPerMinutePerTenant()),
                recording, this::publicUrl, metrics);
        RunnerApiRoutes runnerApi = new RunnerApiRoutes(services, authenticator, new Bodies(json), metrics,
                evaluations);
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
        WebRoutes web = new WebRoutes(connectSources);
        ConsoleRoutes console = new ConsoleRoutes(services, authenticator, new Bodies(json),
                new ConsoleRoutes.ConsoleConfig(settings.usesSupabaseAuth() ? "supabase" : "local",
                        supabaseUrl.map(Object::toString).orElse(null),
                        settings.web().supabaseAnonKey().orElse(null)));
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
            securityHeaders.install(config);
            if (!settings.server().corsOrigins().isEmpty()) {
                config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                    settings.server().corsOrigins().forEach(origin -> rule.allowHost(origin));
                    rule.exposeHeader(RequestIds.HEADER);
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
        resources.add(() -> http.stop());
        if (metricsSettings.port().isPresent()) {
            metricsHttp = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.jetty.host = settings.server().host();
                config.jetty.port = metricsSettings.port().get();
                config.jetty.modifyServer(new JettyProblems(json, securityHeaders)::install);
                securityHeaders.install(config);
                errors.install(config);
                ops.installMetrics(config, metricsToken);
            }).start();
            resources.add(() -> metricsHttp.stop());
        }
    }

    /** Neither METRICS_TOKEN nor METRICS_PORT: a token is generated in the data directory. */
    private boolean metricsTokenGenerated() {
        return settings.metrics().token().isEmpty() && settings.metrics().port().isEmpty();
    }

    private static String origin(URI url) {
        return url.getScheme() + "://" + url.getAuthority();
    }

    private void runnerLost(LocalProcessRunnerProvisioner.LostRunner lost) {
        Jobs.run("process-watcher", () -> services.failInterview().fail(new FailInterviewUseCase.FailInterview(
                AccessScope.system("process-watcher"), lost.session(),
                "the runner process exited unexpectedly (exit code " + lost.exitCode() + ")")));
    }

    public int port() {
        return http.port();
    }

    /** The separate metrics port, when METRICS_PORT is set. */
    public Optional<Integer> metricsPort() {
        return Optional.ofNullable(metricsHttp).map(Javalin::port);
    }

    /** PUBLIC_URL, or this instance's own address once it listens (PORT=0 picks a free port). */
    public URI publicUrl() {
        if (settings.server().publicUrlConfigured() || http == null) {
            return settings.server().publicUrl();
        }
        String host = "0.0.0.0".equals(settings.server().host()) ? "127.0.0.1" : settings.server().host();
        return URI.create("http://" + host + ":" + http.port());
    }

    /** The routes this instance serves, read from its router ({@code "METHOD /path"}). */
    public java.util.Set<String> servedRoutes() {
        return ai.interviewinsights.app.web.ServedRoutes.of(http);
    }

    /** The start-up warnings about configured models near their shutdown. */
    public List<String> modelWarnings() {
        return modelWarnings;
    }

    public InterviewServices services() {
        return services;
    }

    /** The audit log, read as a system job (erasure receipts, for operators' tooling and tests). */
    public List<ai.interviewinsights.domain.model.audit.AuditEvent> auditEvents(TenantId tenant, int limit) {
        return persistence.store().audit().read(AccessScope.system("audit-reader"), tenant, limit);
    }

    /** The local default's tenant and admin token, when the local default is in force. */
    public Optional<LocalDefaults.Bootstrap> bootstrap() {
        return Optional.ofNullable(bootstrap);
    }

    /** The local realtime endpoint standing in for OpenAI, when no OpenAI key is configured. */
    public Optional<LocalRealtime> localRealtime() {
        return adapters == null ? Optional.empty() : adapters.localRealtime();
    }

    /** The local process runners, when they are the provisioner. */
    public Optional<LocalProcessRunnerProvisioner> localRunners() {
        return adapters == null ? Optional.empty() : adapters.localRunners();
    }

    void awaitShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (housekeeping != null) {
            housekeeping.close();
        }
        if (evaluations != null) {
            evaluations.close();
        }
        localRunners().ifPresent(runners -> {
            // Runners first, while the API they flush their transcripts to is still up.
            try {
                runners.close();
            } catch (RuntimeException e) {
                LOG.warn("stopping the runners failed: {}", e.toString());
            }
        });
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", resources.get(i), e.toString());
            }
        }
        resources.clear();
        stopped.countDown();
    }
}
