package ai.interviewinsights.app;

import ai.interviewinsights.adapters.apivideo.ApiVideo;
import ai.interviewinsights.adapters.apivideo.ApiVideoConfig;
import ai.interviewinsights.adapters.apivideo.ApiVideoWebhooks;
import ai.interviewinsights.adapters.flyio.FlyConfig;
import ai.interviewinsights.adapters.flyio.FlyRunners;
import ai.interviewinsights.adapters.openai.OpenAiAdapters;
import ai.interviewinsights.adapters.supabase.SupabaseStore;
import ai.interviewinsights.adapters.openai.OpenAiConfig;
import ai.interviewinsights.app.config.ControlPlaneSettings;
import ai.interviewinsights.app.config.Env;
import ai.interviewinsights.app.http.Authenticator;
import ai.interviewinsights.app.http.Bodies;
import ai.interviewinsights.app.http.ControlPlaneRoutes;
import ai.interviewinsights.app.http.ErrorResponses;
import ai.interviewinsights.app.http.Json;
import ai.interviewinsights.app.http.OpsRoutes;
import ai.interviewinsights.app.http.RateLimiter;
import ai.interviewinsights.app.http.RequestIds;
import ai.interviewinsights.app.http.WebhookRoutes;
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
    private LocalDefaults.Bootstrap bootstrap;
    private LocalProcessRunnerProvisioner localRunners;
    private ScheduledExecutorService housekeeping;
    private ExecutorService evaluations;

    private ControlPlaneApp(ControlPlaneSettings settings) {
        this.settings = settings;
    }

    /**
     * Reads the configuration, connects everything and starts serving.
     *
     * @throws ai.interviewinsights.app.config.ConfigurationException listing every problem with the environment
     */
    public static ControlPlaneApp start(Map<String, String> environment) {
        Env env = new Env(environment);
        ControlPlaneSettings settings = ControlPlaneSettings.from(env);
        env.requireValid();
        ControlPlaneApp app = new ControlPlaneApp(settings);
        try {
            app.wire(environment);
            return app;
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
    }

    private void wire(Map<String, String> environment) {
        Clock clock = Clock.systemUTC();
        Path dataDir = SecretFiles.directory(settings.dataDir());
        Persistence persistence = SupabaseWiring.persistence(settings, dataDir);
        resources.add(persistence);

        Secret sessionSecret = settings.sessionTokenSecret()
                .orElseGet(() -> SecretFiles.secret(dataDir.resolve("session-token-secret")));
        SessionTokens sessionTokens = new SessionTokens(sessionSecret, clock);
        SupabaseWiring.StaffAuth staffAuth = SupabaseWiring.staffAuth(settings, dataDir, clock);
        CompositeAccessTokenVerifier verifier = new CompositeAccessTokenVerifier(sessionTokens, staffAuth.verifier());

        RealtimeGateway realtime;
        EvaluationGenerator evaluator;
        if (settings.openAiKey().isPresent()) {
            OpenAiAdapters openAi = OpenAiAdapters.create(OpenAiConfig.defaults(settings.openAiKey().get())
                    .withBaseUrl(settings.openAiBaseUrl())
                    .withEvaluation(settings.evaluationModel(), Duration.ofMinutes(2)), clock);
            resources.add(openAi);
            realtime = openAi.realtime();
            evaluator = openAi.evaluator();
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
            settings.openAiKey().ifPresent(k -> runnerEnv.put("OPENAI_API_KEY", k.reveal()));
            runnerEnv.put("OPENAI_BASE_URL", settings.openAiBaseUrl().toString());
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
                webhooks = Optional.of(ApiVideo.webhooks(video));
            }
            recording = Optional.of(ApiVideo.recordingGateway(video, clock));
        }

        SettingsCatalog catalog = SettingsCatalog.defaults();
        catalog = new SettingsCatalog(catalog.voices().extendedWith(settings.extraVoices()),
                catalog.realtimeModels().extendedWith(settings.extraRealtimeModels()), catalog.transcriptionModels(),
                catalog.defaultVoice(), catalog.defaultLanguage(), catalog.defaultModel(),
                catalog.defaultTranscriptionModel(), catalog.defaultMaxDuration(), catalog.defaultArchitecture());
        InterviewPolicies policies = InterviewPolicies.defaults().withSettings(catalog)
                .withIdleTimeout(settings.idleTimeout());
        SupabaseStore store = persistence.store();
        services = InterviewServices.create(new InterviewPorts(store.tenants(), store.positions(),
                store.candidates(), store.sessions(), store.transcripts(), store.invites(),
                store.evaluations(), store.audit(), realtime, runners, recording, evaluator,
                sessionTokens, new RandomIds(), clock), policies);

        if (!settings.usesSupabaseAuth()) {
            bootstrap = LocalDefaults.bootstrap(services, staffAuth.minter().orElseThrow(), dataDir,
                    settings.defaultTenantName());
        }

        Metrics metrics = new Metrics();
        ObjectMapper json = Json.mapper();
        ErrorResponses errors = new ErrorResponses(json);
        evaluations = Executors.newFixedThreadPool(2, daemon("evaluation"));
        ControlPlaneRoutes api = new ControlPlaneRoutes(services, new Authenticator(verifier), new Bodies(json),
                new RateLimiter(settings.sessionsPerMinutePerTenant(), clock), recording.isPresent(),
                this::publicUrl, metrics, this::evaluateLater);
        Map<String, String> components = new LinkedHashMap<>();
        components.put("database", persistence.description());
        components.put("realtime", settings.openAiKey().isPresent() ? "configured"
                : "unconfigured (set OPENAI_API_KEY)");
        components.put("runners", settings.flyToken().isPresent() ? "fly machines" : "local processes");
        components.put("recording", recording.isPresent() ? "api.video" : "off (set APIVIDEO_API_KEY)");
        components.put("auth", settings.usesSupabaseAuth() ? "supabase" : "local secret");
        OpsRoutes ops = new OpsRoutes(metrics, components, Map.of("database",
                () -> new OpsRoutes.Check(persistence.ping(), persistence.description())));
        Optional<WebhookRoutes> webhookRoutes = webhooks.map(w -> new WebhookRoutes(w, services.recordingReady(),
                errors));

        http = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.http.maxRequestSize = Bodies.JSON_LIMIT;
            config.jsonMapper(new JavalinJackson(json, false));
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
            ops.install(config);
            webhookRoutes.ifPresent(w -> w.install(config));
        }).start();
        resources.add(() -> http.stop());

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
        banner();
    }

    private void evaluateLater(TenantId tenant, SessionId session) {
        evaluations.submit(() -> job("evaluator", () -> services.evaluateInterview().evaluate(tenant, session)));
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
        List<String> defaults = settings.defaultsInForce();
        if (!defaults.isEmpty()) {
            text.append("Local defaults in force:\n");
            defaults.forEach(d -> text.append("  - ").append(d).append('\n'));
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

    /** PUBLIC_URL, or this instance's own address once it listens (PORT=0 picks a free port). */
    public java.net.URI publicUrl() {
        if (settings.publicUrlConfigured() || http == null) {
            return settings.publicUrl();
        }
        String host = "0.0.0.0".equals(settings.host()) ? "127.0.0.1" : settings.host();
        return java.net.URI.create("http://" + host + ":" + http.port());
    }

    public InterviewServices services() {
        return services;
    }

    /** The local default's tenant and admin token, when the local default is in force. */
    public Optional<LocalDefaults.Bootstrap> bootstrap() {
        return Optional.ofNullable(bootstrap);
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
