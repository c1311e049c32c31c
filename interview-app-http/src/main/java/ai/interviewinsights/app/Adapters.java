package ai.interviewinsights.app;

import ai.interviewinsights.adapters.apivideo.ApiVideo;
import ai.interviewinsights.adapters.apivideo.ApiVideoConfig;
import ai.interviewinsights.adapters.apivideo.ApiVideoWebhooks;
import ai.interviewinsights.adapters.flyio.FlyConfig;
import ai.interviewinsights.adapters.flyio.FlyRunners;
import ai.interviewinsights.adapters.openai.OpenAiAdapters;
import ai.interviewinsights.adapters.openai.OpenAiConfig;
import ai.interviewinsights.adapters.openai.local.LocalEvaluationGenerator;
import ai.interviewinsights.adapters.openai.local.LocalRealtime;
import ai.interviewinsights.app.config.ControlPlaneSettings;
import ai.interviewinsights.app.local.LocalProcessRunnerProvisioner;
import ai.interviewinsights.app.local.RunnerJvm;
import ai.interviewinsights.app.local.StandbyRunnerPool;
import ai.interviewinsights.app.observability.Metrics;
import ai.interviewinsights.app.local.UnconfiguredRealtime;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.port.out.EvaluationGenerator;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import ai.interviewinsights.domain.port.out.RunnerProvisioner;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The adapter (or local default) configuration picks for each outside port: OpenAI (or the local realtime endpoint,
 * or a 503), runners (Fly Machines or local processes), recording (api.video or off) and api.video's webhooks.
 *
 * @param localRealtime the local endpoint standing in for OpenAI, when there is no key (ADR 0006)
 * @param localRunners  the local process runners, when they are the provisioner
 * @param standbyRunners the warm pool of local runners in front of them, when one is configured (ADR 0020)
 */
record Adapters(RealtimeGateway realtime, EvaluationGenerator evaluator, Optional<LocalRealtime> localRealtime,
                RunnerProvisioner runners, Optional<LocalProcessRunnerProvisioner> localRunners,
                Optional<StandbyRunnerPool> standbyRunners,
                Optional<RecordingGateway> recording, Optional<ApiVideoWebhooks> webhooks) {

    /**
     * Builds every adapter; what must be closed at shutdown is added to {@code resources} as it is made.
     *
     * @param publicUrl  the control plane's URL as runners reach it (known once it listens)
     * @param runnerLost told when a local runner process exits unexpectedly
     */
    static Adapters select(ControlPlaneSettings settings, Path dataDir, Persistence persistence, Clock clock,
                           Supplier<URI> publicUrl, Consumer<LocalProcessRunnerProvisioner.LostRunner> runnerLost,
                           Metrics metrics, List<AutoCloseable> resources) {
        ControlPlaneSettings.OpenAi openAiSettings = settings.openAi();
        // No OpenAI key and local runners: the local realtime endpoint stands in for OpenAI (ADR 0006), so the
        // production adapter talks to it and an interview can be held offline. LOCAL_REALTIME=off keeps the old 503s.
        Optional<Secret> openAiKey = openAiSettings.key();
        URI openAiBase = openAiSettings.baseUrl();
        LocalRealtime localRealtime = null;
        if (openAiKey.isEmpty() && settings.fly().token().isEmpty() && openAiSettings.localRealtimeAllowed()) {
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
                    .withEvaluation(openAiSettings.evaluationModel(), Duration.ofMinutes(2)), clock);
            resources.add(openAi);
            realtime = openAi.realtime();
            evaluator = localRealtime != null ? new LocalEvaluationGenerator() : openAi.evaluator();
        } else {
            UnconfiguredRealtime unconfigured = new UnconfiguredRealtime();
            realtime = unconfigured;
            evaluator = unconfigured;
        }

        RunnerProvisioner runners;
        LocalProcessRunnerProvisioner localRunners = null;
        StandbyRunnerPool standbyRunners = null;
        ControlPlaneSettings.Fly fly = settings.fly();
        var poolSizes = settings.runnerPool().sizes();
        if (fly.token().isPresent()) {
            FlyConfig.Builder config = FlyConfig.builder(fly.token().get(), fly.org(), fly.image(),
                    settings.server().publicUrl());
            FlyConfig flyConfig = config.baseUrl(fly.apiUrl()).regions(fly.regions())
                    .endpointTemplate(fly.endpointTemplate()).build();
            if (poolSizes.anyOn()) {
                // Standby machines per tenant app, claimed at session start (ADR 0020).
                runners = FlyRunners.pooled(flyConfig, clock, poolSizes, metrics.runnerPool());
                if (runners instanceof AutoCloseable pool) {
                    resources.add(pool);
                }
            } else {
                // No pool: every start is a cold one, counted as the pool's metrics count a miss.
                runners = FlyRunners.provisioner(flyConfig, clock, metrics.runnerPool());
            }
        } else {
            Map<String, String> runnerEnv = new LinkedHashMap<>();
            openAiKey.ifPresent(k -> runnerEnv.put("OPENAI_API_KEY", k.reveal()));
            runnerEnv.put("OPENAI_BASE_URL", openAiBase.toString());
            runnerEnv.put("LOG_FORMAT", settings.server().logFormat());
            // A proxy runner's policy when OpenAI's socket drops mid-call (ADR 0023): the operator's, checked here.
            runnerEnv.putAll(settings.proxyReconnect().environment());
            // Small, quickly started runner JVMs sharing one class-data archive (RunnerJvm, docs/performance.md).
            // The operator's RUNNER_JVM_FLAGS after the built-in flags (a later option of the same name wins).
            List<String> extraFlags = settings.runnerJvm().extraFlags();
            RunnerJvm jvm = RunnerJvm.forThisApplication(RunnerMain.class.getName(),
                    withOwner(extraFlags, LocalProcessRunnerProvisioner.ownerFlag(settings.server().dataDir())),
                    dataDir.resolve("runner-cds"));
            localRunners = new LocalProcessRunnerProvisioner(jvm, dataDir.resolve("runner-logs"), runnerEnv,
                    publicUrl, clock, Duration.ofSeconds(60), runnerLost);
            resources.add(localRunners);
            runners = localRunners;
            if (!poolSizes.anyOn()) {
                // No pool: every start is a cold one, counted as the pool's metrics count a miss.
                localRunners.reportColdStartsTo(metrics.runnerPool());
            } else {
                // Warm runners claimed at session start, cold starts behind them (ADR 0020). Their own owner
                // marker and class-data archive folder: the cold provisioner's orphan sweep must not take them.
                RunnerJvm pooled = RunnerJvm.forThisApplication(RunnerMain.class.getName(),
                        withOwner(extraFlags, StandbyRunnerPool.ownerFlag(settings.server().dataDir())),
                        dataDir.resolve("runner-cds-pool"));
                standbyRunners = new StandbyRunnerPool(localRunners, pooled, dataDir.resolve("runner-logs"),
                        runnerEnv, publicUrl, clock, Duration.ofSeconds(60), runnerLost, metrics.runnerPool(),
                        poolSizes);
                resources.add(standbyRunners);
                runners = standbyRunners;
            }
        }

        Optional<RecordingGateway> recording = Optional.empty();
        Optional<ApiVideoWebhooks> webhooks = Optional.empty();
        ControlPlaneSettings.ApiVideo apiVideo = settings.apiVideo();
        if (apiVideo.key().isPresent()) {
            ApiVideoConfig video = ApiVideoConfig.production(apiVideo.key().get()).withBaseUrl(apiVideo.baseUrl());
            if (apiVideo.webhookSecret().isPresent()) {
                video = video.withWebhookSecret(apiVideo.webhookSecret().get());
                // De-duplicated in the database: a retry landing on another instance is a duplicate there too.
                webhooks = Optional.of(ApiVideo.webhooks(video, persistence.store().deliveries()));
            }
            recording = Optional.of(ApiVideo.recordingGateway(video, clock));
        }
        return new Adapters(realtime, evaluator, Optional.ofNullable(localRealtime), runners,
                Optional.ofNullable(localRunners), Optional.ofNullable(standbyRunners), recording, webhooks);
    }

    /** What each component is, in words, for the ops endpoint. */
    Map<String, String> components(ControlPlaneSettings settings, Persistence persistence) {
        Map<String, String> components = new LinkedHashMap<>();
        components.put("database", persistence.description());
        components.put("realtime", settings.openAi().key().isPresent() ? "configured"
                : localRealtime.map(LocalRealtime::description).orElse("unconfigured (set OPENAI_API_KEY)"));
        if (localRealtime.isPresent()) {
            components.put("evaluation", "local (deterministic, " + LocalEvaluationGenerator.MODEL + ")");
        }
        components.put("runners", (settings.fly().token().isPresent() ? "fly machines" : "local processes")
                + (settings.runnerPool().sizes().anyOn() ? ", standby pools " + settings.runnerPool().describe()
                : ""));
        components.put("recording", recording.isPresent() ? "api.video" : "off (set APIVIDEO_API_KEY)");
        components.put("auth", settings.usesSupabaseAuth() ? "supabase" : "local secret");
        return components;
    }

    /** A runner's extra JVM flags: its owner marker, then the operator's (RUNNER_JVM_FLAGS). */
    private static List<String> withOwner(List<String> operatorFlags, String ownerFlag) {
        List<String> flags = new java.util.ArrayList<>();
        flags.add(ownerFlag);
        flags.addAll(operatorFlags);
        return flags;
    }
}
