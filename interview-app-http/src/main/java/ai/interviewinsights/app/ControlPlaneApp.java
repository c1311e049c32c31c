package ai.interviewinsights.app;

import ai.interviewinsights.adapters.apivideo.ApiVideo;
import ai.interviewinsights.adapters.apivideo.ApiVideoConfig;
import ai.interviewinsights.adapters.apivideo.ApiVideoWebhooks;
import ai.interviewinsights.adapters.flyio.FlyConfig;
import ai.interviewinsights.adapters.flyio.FlyRunners;
import ai.interviewinsights.adapters.openai.OpenAiAdapters;
import ai.interviewinsights.adapters.openai.local.LocalEvaluationGenerator;
import ai.interviewinsights.adapters.openai.local.LocalRealtime;
import ai.interviewinsights.adapters.supabase.SupabaseStore;
import ai.interviewinsights.adapters.openai.OpenAiConfig;
import ai.interviewinsights.app.config.ControlPlaneSettings;
import ai.interviewinsights.app.config.WebSettings;
import ai.interviewinsights.app.config.Env;
import ai.interviewinsights.app.config.MetricsSettings;
import ai.interviewinsights.app.config.ModelSettings;
import ai.interviewinsights.app.config.PlatformSettings;
import ai.interviewinsights.app.http.PlatformRoutes;
import ai.interviewinsights.domain.model.interview.ModelRetirements;
import ai.interviewinsights.app.http.Authenticator;
import ai.interviewinsights.app.http.Bodies;
import ai.interviewinsights.app.http.ControlPlaneRoutes;
import ai.interviewinsights.app.http.ErrorResponses;
import ai.interviewinsights.app.http.JettyProblems;
import ai.interviewinsights.app.http.Json;
import ai.interviewinsights.app.http.OpsRoutes;
import ai.interviewinsights.app.http.RateLimiter;
import ai.interviewinsights.app.http.RequestIds;
import ai.interviewinsights.app.http.SecurityHeaders;
import ai.interviewinsights.app.http.WebhookRoutes;
import ai.interviewinsights.app.http.RoomRoutes;
import ai.interviewinsights.app.http.ConsoleRoutes;
import ai.interviewinsights.app.http.WebRoutes;
import ai.interviewinsights.app.local.LocalDefaults;
import ai.interviewinsights.app.local.LocalProcessRunnerProvisioner;
import ai.interviewinsights.app.local.RunnerJvm;
import ai.interviewinsights.app.local.RandomIds;
import ai.interviewinsights.app.local.SecretFiles;
import ai.interviewinsights.app.local.UnconfiguredRealtime;
import ai.interviewinsights.app.observability.Metrics;
import ai.interviewinsights.app.tokens.CompositeAccessTokenVerifier;
import ai.interviewinsights.app.tokens.SessionTokens;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.interview.NameCatalog;
import ai.interviewinsights.domain.model.interview.SettingsCatalog;
import ai.interviewinsights.domain.port.in.FailInterviewUseCase;
import ai.interviewinsights.domain.port.out.EvaluationGenerator;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import ai.interviewinsights.domain.port.out.RunnerProvisioner;
import ai.interviewinsights.domain.service.InterviewPolicies;
import ai.interviewinsights.domain.service.InterviewPorts;
import ai.interviewinsights.domain.service.InterviewServices;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The control plane, wired: the one place where configuration picks each port's adapter (or its local default) and
 * hands them to the domain's services, which the HTTP edge then exposes. Also runs the housekeeping jobs.
 */
public final class ControlPlaneApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneApp.class);

    private final ControlPlaneSettings settings;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private InterviewServices services;
    private Javalin http;
    private MetricsSettings metricsSettings;
    private ModelSettings modelSettings;
    private PlatformSettings platformSettings;
    private List<String> modelWarnings = List.of();
    private Clock clock = Clock.systemUTC();
    private Javalin metricsHttp;
    private boolean metricsTokenGenerated;
    private LocalDefaults.Bootstrap bootstrap;
    private LocalProcessRunnerProvisioner localRunners;
    private ScheduledExecutorService housekeeping;
    private ExecutorService evaluations;
    private Persistence persistence;
    private LocalRealtime localRealtime;

    private final WebSettings webSettings;

    private ControlPlaneApp(ControlPlaneSettings settings, WebSettings webSettings) {
        this.settings = settings;
        this.webSettings = webSettings;
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
        MetricsSettings metricsSettings = MetricsSettings.from(env);
        ModelSettings modelSettings = ModelSettings.from(env);
        PlatformSettings platformSettings = PlatformSettings.from(env);
        WebSettings webSettings = WebSettings.from(env);
        env.requireValid();
        ControlPlaneApp app = new ControlPlaneApp(settings, webSettings);
        app.clock = clock;
        app.modelSettings = modelSettings;
        app.platformSettings = platformSettings;
        app.metricsSettings = metricsSettings;
        try {
            app.wire(environment);
            return app;
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
    }

    private void wire(Map<String, String> environment) {
        Clock clock = this.clock;
        Path dataDir = SecretFiles.directory(settings.dataDir());
        persistence = SupabaseWiring.persistence(settings, dataDir);
        resources.add(persistence);

        Secret sessionSecret = settings.sessionTokenSecret()
                .orElseGet(() -> SecretFiles.secret(dataDir.resolve("session-token-secret")));
        SessionTokens sessionTokens = new SessionTokens(sessionSecret, clock);
        SupabaseWiring.StaffAuth staffAuth = SupabaseWiring.staffAuth(settings, dataDir, clock);
        CompositeAccessTokenVerifier verifier = new CompositeAccessTokenVerifier(sessionTokens, staffAuth.verifier());

        // No OpenAI key and local runners: the local realtime endpoint stands in for OpenAI (ADR 0006), so the
        // production adapter talks to it and an interview can be held offline. LOCAL_REALTIME=off keeps the old 503s.
        Optional<Secret> openAiKey = settings.openAiKey();
        java.net.URI openAiBase = settings.openAiBaseUrl();
        if (openAiKey.isEmpty() && settings.flyToken().isEmpty()
                && !"off".equalsIgnoreCase(environment.getOrDefault("LOCAL_REALTIME", "on").trim())) {
            localRealtime = LocalRealtime.start();
            resources.add(localRealtime);
            openAiKey = Optional.of(Secret.of(localRealtime.apiKey()));
            openAiBase = localRealtime.baseUrl();
        }
        RealtimeGateway realtime;
        EvaluationGenerator evaluator;
        if (openAiKey.isPresent()) {
            OpenAiAdapters openAi = OpenAiAdapters.create(OpenAiConfig.defaults(openAiKey.get())
                    .withBaseUrl(openAiBase)
                    .withEvaluation(settings.evaluationModel(), Duration.ofMinutes(2)), clock);
            resources.add(openAi);
            realtime = openAi.realtime();
            evaluator = localRealtime != null ? new LocalEvaluationGenerator() : openAi.evaluator();
        } else {
            UnconfiguredRealtime unconfigured = new UnconfiguredRealtime();
            realtime = unconfigured;
            evaluator = unconfigured;
        }

        RunnerProvisioner runners;
        if (settings.flyToken().isPresent()) {
            FlyConfig.Builder fly = FlyConfig.builder(settings.flyToken().get(), settings.flyOrg(),
                    settings.flyImage(), settings.publicUrl());
            runners = FlyRunners.provisioner(fly.baseUrl(settings.flyApiUrl()).regions(settings.flyRegions())
                    .endpointTemplate(settings.flyEndpointTemplate()).build(), clock);
        } else {
            Map<String, String> runnerEnv = new LinkedHashMap<>();
            openAiKey.ifPresent(k -> runnerEnv.put("OPENAI_API_KEY", k.reveal()));
            runnerEnv.put("OPENAI_BASE_URL", openAiBase.toString());
            runnerEnv.put("LOG_FORMAT", settings.logFormat());
            // Small, quickly started runner JVMs sharing one class-data archive (RunnerJvm, docs/performance.md).
            RunnerJvm jvm = RunnerJvm.forThisApplication(Main.class.getName(),
                    List.of(LocalProcessRunnerProvisioner.ownerFlag(settings.dataDir())), dataDir.resolve("runner-cds"));
            localRunners = new LocalProcessRunnerProvisioner(jvm, dataDir.resolve("runner-logs"), runnerEnv,
                    this::publicUrl, clock, Duration.ofSeconds(60), this::runnerLost);
            resources.add(localRunners);
            runners = localRunners;
        }

        Optional<RecordingGateway> recording = Optional.empty();
        Optional<ApiVideoWebhooks> webhooks = Optional.empty();
        if (settings.apiVideoKey().isPresent()) {
            ApiVideoConfig video = ApiVideoConfig.production(settings.apiVideoKey().get())
                    .withBaseUrl(settings.apiVideoBaseUrl());
            if (settings.apiVideoWebhookSecret().isPresent()) {
                video = video.withWebhookSecret(settings.apiVideoWebhookSecret().get());
                // De-duplicated in the database: a retry landing on another instance is a duplicate there too.
                webhooks = Optional.of(ApiVideo.webhooks(video, persistence.store().deliveries()));
            }
            recording = Optional.of(ApiVideo.recordingGateway(video, clock));
        }

        SettingsCatalog base = SettingsCatalog.defaults();
        base = new SettingsCatalog(base.voices().extendedWith(settings.extraVoices()), base.realtimeModels(),
                base.transcriptionModels(), base.defaultVoice(), base.defaultLanguage(), base.defaultModel(),
                base.defaultTranscriptionModel(), base.defaultMaxDuration(), base.defaultArchitecture());
        // OpenAI retires models: warn within 60 days of a configured model's shutdown, refuse after it.
        ModelSettings.Check models = modelSettings.apply(base, settings.extraRealtimeModels(),
                settings.evaluationModel(), settings.openAiKey().isPresent(), ModelRetirements.announced(),
                java.time.LocalDate.now(clock));
        models.warnings().forEach(w -> LOG.warn("model retirement: {}", w));
        modelWarnings = models.warnings();
        SettingsCatalog catalog = models.catalog();
        InterviewPolicies policies = InterviewPolicies.defaults().withSettings(catalog)
                .withIdleTimeout(settings.idleTimeout());
        SupabaseStore store = persistence.store();
        services = InterviewServices.create(new InterviewPorts(store.tenants(), store.positions(),
                store.candidates(), store.sessions(), store.transcripts(), store.invites(),
                store.evaluations(), store.audit(), store.consents(), realtime, runners, recording, evaluator,
                sessionTokens, new RandomIds(), clock, store.erasure()), policies);

        if (!settings.usesSupabaseAuth()) {
            bootstrap = LocalDefaults.bootstrap(services, staffAuth.minter().orElseThrow(), dataDir,
                    settings.defaultTenantName());
        }

        Metrics metrics = new Metrics();
        ObjectMapper json = Json.mapper();
        ErrorResponses errors = new ErrorResponses(json);
        evaluations = Executors.newFixedThreadPool(2, daemon("evaluation"));
        Authenticator authenticator = new Authenticator(verifier);
        ControlPlaneRoutes api = new ControlPlaneRoutes(services, authenticator, new Bodies(json),
                new RateLimiter(persistence.store().rateLimits(), settings.sessionsPerMinutePerTenant()),
                recording.isPresent(),
                this::publicUrl, metrics, this::evaluateLater);
        Map<String, String> components = new LinkedHashMap<>();
        components.put("database", persistence.description());
        components.put("realtime", settings.openAiKey().isPresent() ? "configured"
                : localRealtime != null ? localRealtime.description() : "unconfigured (set OPENAI_API_KEY)");
        if (localRealtime != null) {
            components.put("evaluation", "local (deterministic, " + LocalEvaluationGenerator.MODEL + ")");
        }
        components.put("runners", settings.flyToken().isPresent() ? "fly machines" : "local processes");
        components.put("recording", recording.isPresent() ? "api.video" : "off (set APIVIDEO_API_KEY)");
        components.put("auth", settings.usesSupabaseAuth() ? "supabase" : "local secret");
        OpsRoutes ops = new OpsRoutes(metrics, components, Map.of("database",
                () -> new OpsRoutes.Check(persistence.ping(), persistence.description())));
        PlatformRoutes platform = new PlatformRoutes(Onboarding.useCase(store, settings.supabaseUrl(),
                platformSettings.serviceRoleKey(), clock), platformSettings.serviceRoleKey(), new Bodies(json));
        RoomRoutes room = new RoomRoutes(services, authenticator, new Bodies(json), new RoomRoutes.RoomConfig(
                recording.isPresent() ? settings.apiVideoBaseUrl().resolve("/upload").toString() : null,
                webSettings.recordingPartBytes()));
        List<String> connectSources = new ArrayList<>(List.of("ws:", "wss:"));
        if (recording.isPresent()) {
            connectSources.add(origin(settings.apiVideoBaseUrl()));
        }
        settings.supabaseUrl().ifPresent(url -> connectSources.add(origin(url)));
        WebRoutes web = new WebRoutes(connectSources,
                recording.isPresent() ? webSettings.recordingMediaOrigins() : List.of());
        ConsoleRoutes console = new ConsoleRoutes(services, authenticator, new Bodies(json),
                new ConsoleRoutes.ConsoleConfig(settings.usesSupabaseAuth() ? "supabase" : "local",
                        settings.supabaseUrl().map(Object::toString).orElse(null),
                        webSettings.supabaseAnonKey().orElse(null),
                        settings.usesSupabaseAuth() ? webSettings.oauthProviders() : List.of()));
        Optional<WebhookRoutes> webhookRoutes = webhooks.map(w -> new WebhookRoutes(w, services.recordingReady(),
                errors));

        SecurityHeaders securityHeaders = new SecurityHeaders("https".equals(settings.publicUrl().getScheme()));
        // /metrics: on its own port (Fly's private [metrics] port), or on the main port behind a token.
        metricsTokenGenerated = metricsSettings.token().isEmpty() && metricsSettings.port().isEmpty();
        Optional<Secret> metricsToken = metricsTokenGenerated
                ? Optional.of(SecretFiles.secret(dataDir.resolve("metrics-token"))) : metricsSettings.token();
        http = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.http.maxRequestSize = Bodies.JSON_LIMIT;
            config.jsonMapper(new JavalinJackson(json, false));
            // Jetty's own answers (unparsable URI, 414, 431) become problem documents with the same headers.
            config.jetty.modifyServer(new JettyProblems(json, securityHeaders)::install);
            securityHeaders.install(config);
            if (!settings.corsOrigins().isEmpty()) {
                config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                    settings.corsOrigins().forEach(origin -> rule.allowHost(origin));
                    rule.exposeHeader(RequestIds.HEADER);
                }));
            }
            config.routes.before(ctx -> {
                RequestIds.assign(ctx);
                ctx.attribute("started-nanos", System.nanoTime());
            });
            config.routes.after(ctx -> {
                Long started = ctx.attribute("started-nanos");
                var matched = ctx.endpoints().matchedHttpEndpoint();
                String route = matched == null ? "unmatched" : matched.path;
                if (started != null) {
                    metrics.request(ctx.method().name(), route, ctx.statusCode(),
                            Duration.ofNanos(System.nanoTime() - started));
                }
                LOG.info("{} {} -> {}", ctx.method(), route, ctx.statusCode());
                RequestIds.clear();
            });
            errors.install(config);
            api.install(config);
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
                config.jetty.host = settings.host();
                config.jetty.port = metricsSettings.port().get();
                config.jetty.modifyServer(new JettyProblems(json, securityHeaders)::install);
                securityHeaders.install(config);
                errors.install(config);
                ops.installMetrics(config, metricsToken);
            }).start();
            resources.add(() -> metricsHttp.stop());
        }

        housekeeping = Executors.newScheduledThreadPool(1, daemon("housekeeping"));
        if (localRunners != null) {
            // Start-up recovery: runners an earlier instance on this data directory left behind (it was killed) are
            // destroyed now, not at the first reconcile; their sessions stay live for the candidate to come back to.
            housekeeping.execute(() -> job("orphaned runners", () -> {
                int found = localRunners.destroyOrphans();
                if (found > 0) {
                    LOG.warn("destroyed {} orphaned runner process(es) of an earlier run", found);
                }
            }));
        }
        housekeeping.scheduleWithFixedDelay(() -> job("reaper", () -> {
            var report = services.expireStaleSessions().expireStale();
            metrics.housekeeping("expired", report.expired().size());
            metrics.housekeeping("completed", report.completed().size());
        }), settings.reaperInterval().toMillis(), settings.reaperInterval().toMillis(), TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(() -> job("reconciler", () -> metrics.housekeeping("reconciled",
                services.reconcileRunners().reconcile().destroyed().size())),
                settings.reconcileInterval().toMillis(), settings.reconcileInterval().toMillis(), TimeUnit.MILLISECONDS);
        // Per-tenant retention: candidates whose last interview ended longer ago than their tenant keeps them.
        housekeeping.scheduleWithFixedDelay(() -> job("retention", () -> metrics.housekeeping("erased",
                services.retention().applyRetention().size())),
                RETENTION_INTERVAL.toMillis(), RETENTION_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        // Key rotation: the re-encryption a rotation started is finished in the background (resumes after a crash).
        housekeeping.scheduleWithFixedDelay(() -> job("reencryption", () -> metrics.housekeeping("reencrypted",
                persistence.store().keys().resumeUnfinished().stream().mapToInt(r -> r.values()).sum())),
                REENCRYPTION_INTERVAL.toMillis(), REENCRYPTION_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        banner();
    }

    /** How often unfinished re-encryptions are looked for. */
    static final Duration REENCRYPTION_INTERVAL = Duration.ofMinutes(5);

    /** How often the retention job looks for candidates due for erasure. */
    static final Duration RETENTION_INTERVAL = Duration.ofHours(1);

    private static String origin(java.net.URI url) {
        return url.getScheme() + "://" + url.getAuthority();
    }

    private void evaluateLater(TenantId tenant, SessionId session) {
        try {
            evaluations.submit(() -> job("evaluator", () -> services.evaluateInterview().evaluate(tenant, session)));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Shutting down while a runner reports its end: the end is recorded; the reaper of the next start
            // evaluates the session, so the runner must not get a 500 for it.
            LOG.info("session {} is evaluated after the next start (this instance is shutting down)", session);
        }
    }

    private void runnerLost(LocalProcessRunnerProvisioner.LostRunner lost) {
        job("process-watcher", () -> services.failInterview().fail(new FailInterviewUseCase.FailInterview(
                AccessScope.system("process-watcher"), lost.session(),
                "the runner process exited unexpectedly (exit code " + lost.exitCode() + ")")));
    }

    private static void job(String name, Runnable work) {
        MDC.put("job", name);
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed: {}", name, e.toString());
        } finally {
            MDC.remove("job");
        }
    }

    private void banner() {
        StringBuilder text = new StringBuilder("\nInterview Insights control plane listening on ")
                .append(publicUrl()).append(" (bound to ").append(settings.host()).append(':')
                .append(port()).append(")\n");
        List<String> defaults = new ArrayList<>(settings.defaultsInForce());
        if (localRealtime != null) {
            defaults.replaceAll(d -> d.startsWith("OPENAI_API_KEY unset") ? "OPENAI_API_KEY unset: realtime: "
                    + localRealtime.description() + " at " + localRealtime.baseUrl()
                    + "; evaluations are local and deterministic (set OPENAI_API_KEY for OpenAI)" : d);
        }
        if (!defaults.isEmpty()) {
            text.append("Local defaults in force:\n");
            defaults.forEach(d -> text.append("  - ").append(d).append('\n'));
        }
        modelWarnings.forEach(w -> text.append("WARNING - model retirement: ").append(w).append('\n'));
        if (metricsHttp != null) {
            text.append("Metrics: http://").append(settings.host()).append(':').append(metricsHttp.port())
                    .append("/metrics\n");
        } else if (metricsTokenGenerated) {
            text.append("Metrics: /metrics with 'Authorization: Bearer <token>', the token in ")
                    .append(settings.dataDir().resolve("metrics-token")).append(" (or set METRICS_TOKEN / METRICS_PORT)\n");
        }
        if (bootstrap != null) {
            text.append("\nDefault tenant: ").append(bootstrap.tenant()).append(" (").append(bootstrap.tenantName())
                    .append(")\nAdmin access token (valid ").append(LocalDefaults.ADMIN_TOKEN_LIFETIME.toDays())
                    .append(" days):\n\n  ").append(bootstrap.adminToken().reveal()).append("\n\n")
                    .append("Use it as 'Authorization: Bearer <token>'. Mint more with:\n")
                    .append("  bash scripts/run mint-token --role admin|interviewer [--days N]\n");
        }
        System.out.println(text);
        System.out.flush();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public int port() {
        return http.port();
    }

    /** The separate metrics port, when METRICS_PORT is set. */
    public Optional<Integer> metricsPort() {
        return Optional.ofNullable(metricsHttp).map(Javalin::port);
    }

    /** PUBLIC_URL, or this instance's own address once it listens (PORT=0 picks a free port). */
    public java.net.URI publicUrl() {
        if (settings.publicUrlConfigured() || http == null) {
            return settings.publicUrl();
        }
        String host = "0.0.0.0".equals(settings.host()) ? "127.0.0.1" : settings.host();
        return java.net.URI.create("http://" + host + ":" + http.port());
    }

    /** The routes this instance serves, read from its router ({@code "METHOD /path"}). */
    public java.util.Set<String> servedRoutes() {
        return ai.interviewinsights.app.http.ServedRoutes.of(http);
    }

    /** The start-up warnings about configured models near their shutdown. */
    public List<String> modelWarnings() {
        return modelWarnings;
    }

    public InterviewServices services() {
        return services;
    }

    /** The audit log, read as a system job (erasure receipts, for operators' tooling and tests). */
    public java.util.List<ai.interviewinsights.domain.model.audit.AuditEvent> auditEvents(TenantId tenant, int limit) {
        return persistence.store().audit().read(AccessScope.system("audit-reader"), tenant, limit);
    }

    /** The local default's tenant and admin token, when the local default is in force. */
    public Optional<LocalDefaults.Bootstrap> bootstrap() {
        return Optional.ofNullable(bootstrap);
    }

    /** The local realtime endpoint standing in for OpenAI, when no OpenAI key is configured. */
    public Optional<LocalRealtime> localRealtime() {
        return Optional.ofNullable(localRealtime);
    }

    /** The local process runners, when they are the provisioner. */
    public Optional<LocalProcessRunnerProvisioner> localRunners() {
        return Optional.ofNullable(localRunners);
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
            housekeeping.shutdownNow();
        }
        if (evaluations != null) {
            evaluations.shutdown();
        }
        if (localRunners != null) {
            // Runners first, while the API they flush their transcripts to is still up.
            try {
                localRunners.close();
            } catch (RuntimeException e) {
                LOG.warn("stopping the runners failed: {}", e.toString());
            }
        }
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
