package ai.interviewinsights.app;

import ai.interviewinsights.adapters.openai.local.LocalRealtime;
import ai.interviewinsights.adapters.supabase.SupabaseStore;
import ai.interviewinsights.app.config.ControlPlaneSettings;
import ai.interviewinsights.app.config.Env;
import ai.interviewinsights.app.config.ModelSettings;
import ai.interviewinsights.app.controlplane.Authenticator;
import ai.interviewinsights.app.local.LocalDefaults;
import ai.interviewinsights.app.local.LocalProcessRunnerProvisioner;
import ai.interviewinsights.app.local.StandbyRunnerPool;
import ai.interviewinsights.app.config.SecretFiles;
import ai.interviewinsights.app.observability.Metrics;
import ai.interviewinsights.app.tokens.CompositeAccessTokenVerifier;
import ai.interviewinsights.app.tokens.SessionTokens;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.interview.ModelRetirements;
import ai.interviewinsights.domain.model.runner.LeaseHolder;
import ai.interviewinsights.domain.model.interview.SettingsCatalog;
import ai.interviewinsights.domain.port.in.FailInterviewUseCase;
import ai.interviewinsights.domain.service.InterviewPolicies;
import ai.interviewinsights.domain.service.InterviewPorts;
import ai.interviewinsights.domain.service.InterviewServices;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane, wired: the one place where configuration picks each port's adapter or its local default
 * ({@link Adapters}), hands them to the domain's services, and exposes those over HTTP. The parts it composes are
 * named: {@link Adapters} (adapter selection), {@link ControlPlaneHttp} (the HTTP edge, with
 * {@link HttpObservability}: request ids, logs and metrics), {@link Housekeeping} (the scheduled jobs),
 * {@link BackgroundEvaluations} (evaluations after the end) and {@link Banner}.
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
    private BackgroundEvaluations evaluations;
    private ControlPlaneHttp edge;

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
        Metrics metrics = new Metrics();
        adapters = Adapters.select(settings, dataDir, persistence, clock, this::publicUrl, this::runnerLost,
                metrics, resources);

        SupabaseStore store = persistence.store();
        // This instance, as the holder of its runners' leases (ADR 0018): stable across a restart on the same data
        // directory (its predecessor's leases are its own), distinct from every other instance.
        LeaseHolder instance = new LeaseHolder(hostName() + ":" + LocalProcessRunnerProvisioner.ownerOf(dataDir));
        InterviewPolicies policies = policies();
        services = InterviewServices.create(new InterviewPorts(store.tenants(), store.positions(),
                store.candidates(), store.sessions(), store.transcripts(), store.invites(),
                store.evaluations(), store.audit(), store.consents(), adapters.realtime(), adapters.runners(),
                adapters.recording(), adapters.evaluator(), sessionTokens, new RandomIds(), clock, store.erasure(),
                store.runnerLeases(), instance).withAlongside(alongsideStarts()), policies,
                evaluate -> evaluations = new BackgroundEvaluations(evaluate));
        if (adapters.localRunners().isPresent()) {
            // Leases this instance holds before it has started any runner are its killed predecessor's (same host and
            // data directory): those runners are orphans, destroyed by the housekeeping's start-up recovery. Their
            // leases end now, before the first request, so no other instance keeps handing out their dead links.
            int released = services.renewRunnerLeases().releaseLeases();
            if (released > 0) {
                LOG.warn("released {} runner lease(s) of an earlier run", released);
            }
        }
        if (!settings.usesSupabaseAuth()) {
            bootstrap = LocalDefaults.bootstrap(services, staffAuth.minter().orElseThrow(), dataDir,
                    settings.auth().defaultTenantName());
        }

        edge = ControlPlaneHttp.start(settings, services, persistence, adapters, new Authenticator(
                new CompositeAccessTokenVerifier(sessionTokens, staffAuth.verifier())), metrics, this::publicUrl, clock,
                dataDir);
        resources.add(edge);
        housekeeping = new Housekeeping(services, persistence, metrics, settings.limits(), adapters.localRunners(),
                policies.runnerLease());
        new Banner(publicUrl(), port(), settings, adapters.localRealtime(), modelWarnings, metricsPort(),
                edge.metricsTokenGenerated(), bootstrap()).print();
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

    private void runnerLost(LocalProcessRunnerProvisioner.LostRunner lost) {
        Jobs.run("process-watcher", () -> services.failInterview().fail(new FailInterviewUseCase.FailInterview(
                AccessScope.system("process-watcher"), lost.session(),
                "the runner process exited unexpectedly (exit code " + lost.exitCode() + ")")));
    }

    public int port() {
        return edge.port();
    }

    /** The separate metrics port, when METRICS_PORT is set. */
    public Optional<Integer> metricsPort() {
        return edge == null ? Optional.empty() : edge.metricsPort();
    }

    /** PUBLIC_URL, or this instance's own address once it listens (PORT=0 picks a free port). */
    public URI publicUrl() {
        if (settings.server().publicUrlConfigured() || edge == null) {
            return settings.server().publicUrl();
        }
        String host = "0.0.0.0".equals(settings.server().host()) ? "127.0.0.1" : settings.server().host();
        return URI.create("http://" + host + ":" + edge.port());
    }

    /** The routes this instance serves, read from its router ({@code "METHOD /path"}). */
    public java.util.Set<String> servedRoutes() {
        return edge.servedRoutes();
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

    /** The warm pool of local runners, when one is configured (RUNNER_POOL_SIZE). */
    public Optional<StandbyRunnerPool> standbyRunners() {
        return adapters == null ? Optional.empty() : adapters.standbyRunners();
    }

    /** The local process runners, when they are the provisioner. */
    public Optional<LocalProcessRunnerProvisioner> localRunners() {
        return adapters == null ? Optional.empty() : adapters.localRunners();
    }

    void awaitShutdown() {
        // close() stops the database last, after the runners have flushed their transcripts through it: an embedded
        // one waits for that at the exit instead of stopping alongside this hook (EmbeddedDatabase).
        persistence.store().closedByCallerAtExit();
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * This machine's name, for the lease holder, read from the kernel (no DNS lookup that could hold up the start);
     * the loopback name when it cannot be told.
     */
    /**
     * Where a start prepares the session's recording while its runner starts (the provider's two round trips overlap
     * the runner's JVM or machine start instead of following it; issue 16, goal 2): a few daemon threads made as
     * starts need them and gone after a minute idle; a start beyond them prepares its recording itself, in turn.
     */
    private static Executor alongsideStarts() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, 8, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, "start-alongside-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    private static String hostName() {
        try {
            String name = java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: ask the JDK below
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
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
        standbyRunners().ifPresent(pool -> {
            // Standbys first (they hold nothing), then the runners, while the API they flush to is still up.
            try {
                pool.close();
            } catch (RuntimeException e) {
                LOG.warn("stopping the standby runners failed: {}", e.toString());
            }
        });
        localRunners().ifPresent(runners -> {
            // Runners first, while the API they flush their transcripts to is still up.
            try {
                runners.close();
            } catch (RuntimeException e) {
                LOG.warn("stopping the runners failed: {}", e.toString());
            }
            // They are stopped (their sessions stay live): their leases end now, so another instance gives each
            // session a fresh runner at once instead of after a lease.
            if (services != null) {
                try {
                    services.renewRunnerLeases().releaseLeases();
                } catch (RuntimeException e) {
                    LOG.warn("releasing the runner leases failed (they expire by themselves): {}", e.toString());
                }
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
