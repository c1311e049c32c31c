package ai.interviewinsights.app;

import ai.interviewinsights.adapters.openai.OpenAiAdapters;
import ai.interviewinsights.adapters.openai.OpenAiConfig;
import ai.interviewinsights.adapters.openai.proxy.ProxyOptions;
import ai.interviewinsights.adapters.openai.proxy.UpstreamIncident;
import ai.interviewinsights.adapters.openai.proxy.RefusedClientEvent;
import ai.interviewinsights.app.config.Env;
import ai.interviewinsights.app.config.RunnerSettings;
import ai.interviewinsights.app.local.LocalProcessRunnerProvisioner;
import ai.interviewinsights.app.local.UnconfiguredRealtime;
import ai.interviewinsights.app.web.Json;
import ai.interviewinsights.app.runner.controlplane.HttpControlPlane;
import ai.interviewinsights.adapters.apivideo.ApiVideo;
import ai.interviewinsights.adapters.apivideo.ApiVideoUploadConfig;
import ai.interviewinsights.app.runner.CallAudioRecorder;
import ai.interviewinsights.app.runner.LazyRealtimeGateway;
import ai.interviewinsights.app.runner.RelayWarmUp;
import ai.interviewinsights.app.runner.RunnerServer;
import ai.interviewinsights.domain.model.sdp.SdpLimits;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import ai.interviewinsights.domain.runner.InterviewRunner;
import java.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The session-runner role: one interview, then exit. */
final class RunnerMode {

    private static final Logger LOG = LoggerFactory.getLogger(RunnerMode.class);
    /** How many refused browser client events one runner audits at most. */
    static final int AUDITED_REFUSALS = 50;
    private static final Sink<RefusedClientEvent> REFUSALS = new Sink<>(refused ->
            LOG.warn("the browser's {} on oai-events was refused ({}) before the runner had a session",
                    refused.type(), refused.reason()));
    /** Where a proxy runner's incidents with OpenAI's socket go (ADR 0023): the session's audit trail, once bound. */
    private static final Sink<UpstreamIncident> INCIDENTS = new Sink<>(incident ->
            LOG.warn("proxied call {}: {} after {} attempt(s) ({}) before the runner had a session",
                    incident.callId(), incident.code(), incident.attempts(), incident.cause()));
    /** How long a runner whose interview is over waits for its call audio's upload before it exits anyway. */
    static final Duration CALL_AUDIO_UPLOAD_LIMIT = Duration.ofMinutes(10);
    /** A proxy runner's call recorder (ADR 0021), made with its gateway; null for a hybrid runner. */
    private static volatile CallAudioRecorder callAudio;

    private RunnerMode() {
    }

    static RunnerServer start(Map<String, String> env) {
        RunnerSettings settings = RunnerSettings.from(new Env(env));
        // Built by the warm-up after READY (or by an offer that comes first), not before it.
        RealtimeGateway gateway = new LazyRealtimeGateway(() -> realtime(settings));
        RunnerServer server = build(settings, env, RunnerMode::exitSoon, gateway);
        // The assignment is learnt while the server starts, once: no offer asks the control plane for it (one that
        // comes before this fetch is done waits for its answer).
        CompletableFuture<?> assignment = prepareAlongside(server);
        warmUpAlongside(gateway);
        server.start(settings.host(), settings.port());
        try {
            assignment.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LoggerFactory.getLogger(RunnerMode.class).warn("assignment not learnt at start-up, the first offer "
                    + "asks: {}", String.valueOf(e.getCause() == null ? e : e.getCause()));
        }
        // SIGTERM (the control plane destroys us, or stops): flush, hang up and tell the browser before exiting.
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutDown, "runner-shutdown"));
        // The provisioner that started us waits for this line to learn the port.
        System.out.println(LocalProcessRunnerProvisioner.READY_LINE + server.port());
        System.out.flush();
        return server;
    }

    /**
     * Learns the session's assignment ({@code InterviewRunner.prepare}) on a thread of its own that ends with it (an
     * idle runner keeps no thread for this): a cold runner while its server starts, a claimed standby at its binding.
     * An offer that comes while it is still out waits for its answer rather than asking again.
     */
    static CompletableFuture<Void> prepareAlongside(RunnerServer server) {
        return CompletableFuture.runAsync(() -> server.runner().prepare(), task -> {
            Thread prepare = new Thread(task, "runner-prepare");
            prepare.setDaemon(true);
            prepare.start();
        });
    }

    /**
     * A dry run of the relay path (JSON, SDP, the gateway and its connection to the realtime endpoint) alongside the
     * server's start, on the second core, instead of before READY (issue 16, goal 2: it was about a seventh of a
     * runner's start, run after everything else). READY does not wait for it: on a quiet machine it is done by then,
     * and the candidate's browser must still load the room page, connect and build its offer before the first offer
     * can come. An offer that does come first is served all the same (the gateway is built once, by whoever needs it
     * first). On a thread of its own that ends with it.
     */
    private static void warmUpAlongside(RealtimeGateway gateway) {
        Thread warmUp = new Thread(() -> RelayWarmUp.run(Json.shared(), gateway, SdpLimits.defaults()),
                "runner-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    /**
     * The runner's one background thread: writes that must not hold up a reply (callConnected after the answer,
     * coalesced transcript writes). It ends when idle, so an idle runner spends no thread on it.
     */
    private static ScheduledExecutorService background() {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "runner-background");
            t.setDaemon(true);
            return t;
        });
        pool.setKeepAliveTime(2, TimeUnit.SECONDS);
        pool.allowCoreThreadTimeOut(true);
        pool.setRemoveOnCancelPolicy(true);
        return pool;
    }

    /** The session's runner, not yet started (a standby also builds one for a rehearsal, ADR 0020). */
    static RunnerServer build(RunnerSettings settings, Map<String, String> env, Runnable onEnded,
                              RealtimeGateway realtime) {
        return new RunnerServer(settings.session(), settings.tenant(), settings.clientTokenKey(),
                runnerFactory(settings, realtime), Clock.systemUTC(), onEnded, env.get("FLY_MACHINE_ID"));
    }

    /**
     * The session's interview logic around its ports: the control plane (with the session's token) and OpenAI. It
     * also points this process's refusal sink at the session's audit trail: a standby's gateway is built before it
     * knows its session, so the sink learns it here, at the binding.
     */
    static java.util.function.Function<InterviewRunner.Observer, InterviewRunner> runnerFactory(
            RunnerSettings settings, RealtimeGateway realtime) {
        Clock clock = Clock.systemUTC();
        HttpControlPlane controlPlane = new HttpControlPlane(settings.controlPlaneUrl(), settings.runnerToken(),
                Duration.ofSeconds(30));
        REFUSALS.to(refusals(settings, controlPlane));
        if (settings.architecture() == ai.interviewinsights.domain.model.interview.Architecture.PROXY
                && settings.openAiKey().isPresent()) {
            // Made here, not only with the gateway: a runner's gateway is built after READY (ADR 0024), later than
            // this binding, and the recorder must be bound before the first call asks it anything.
            callAudioRecorder();
        }
        CallAudioRecorder recorder = callAudio;
        if (recorder != null) {
            // The session's recording is on or off by its assignment, which the runner fetches before its first offer.
            recorder.bind(controlPlane, () -> controlPlane.lastAssignment()
                            .map(ai.interviewinsights.domain.model.session.RunnerAssignment::recordCallAudio)
                            .orElse(false),
                    ApiVideo.callAudioUploader(ApiVideoUploadConfig.defaults(), clock));
        }
        INCIDENTS.to(incidents(settings, controlPlane));
        ScheduledExecutorService background = background();
        return observer -> new InterviewRunner(settings.session(), controlPlane, realtime, clock,
                SdpLimits.defaults(), observer, InterviewRunner.DrainPolicy.DEFAULT, background,
                InterviewRunner.IngestPolicy.GROUP_COMMIT);
    }

    /**
     * The session's way to OpenAI, by its architecture: hybrid relays the browser's offer to OpenAI and watches the
     * call over the sideband; proxy answers the offer with this runner's own WebRTC peer and bridges the audio to
     * OpenAI's Realtime WebSocket (ADR 0007). The same key and base URL serve both, so the local realtime endpoint
     * stands in for OpenAI in either. Without a key neither can work and every offer is answered with a clear 503.
     * It depends on the key, URL and architecture only, not the session, so a standby builds it ahead (ADR 0020).
     */
    static RealtimeGateway realtime(RunnerSettings settings) {
        return realtimeGateway(settings, Clock.systemUTC(), REFUSALS, INCIDENTS);
    }

    /** @param refused told of each browser client event the proxy refused to pass on (unused for hybrid) */
    static RealtimeGateway realtimeGateway(RunnerSettings settings, Clock clock,
                                           Consumer<RefusedClientEvent> refused) {
        return realtimeGateway(settings, clock, refused, incident -> LOG.warn("proxied call {}: {} after {}"
                + " attempt(s) ({})", incident.callId(), incident.code(), incident.attempts(), incident.cause()));
    }

    /**
     * @param refused   told of each browser client event the proxy refused to pass on (unused for hybrid)
     * @param incidents told when a proxied call's socket to OpenAI dropped and came back, or was lost (ADR 0023)
     */
    static RealtimeGateway realtimeGateway(RunnerSettings settings, Clock clock,
                                           Consumer<RefusedClientEvent> refused,
                                           Consumer<UpstreamIncident> incidents) {
        if (settings.openAiKey().isEmpty()) {
            return new UnconfiguredRealtime();
        }
        OpenAiAdapters openai = OpenAiAdapters.create(OpenAiConfig.defaults(settings.openAiKey().get())
                .withBaseUrl(settings.openAiBaseUrl()), clock);
        return switch (settings.architecture()) {
            case HYBRID -> openai.realtime();
            case PROXY -> openai.proxy(proxyOptions(settings, refused, incidents));
        };
    }

    /** A proxy runner's options: the recording hook, the incidents' sink and the operator's reconnect policy. */
    static ProxyOptions proxyOptions(RunnerSettings settings, Consumer<RefusedClientEvent> refused,
                                     Consumer<UpstreamIncident> incidents) {
        return ProxyOptions.defaults(refused).withRecording(callAudioRecorder()).withIncidents(incidents)
                .withReconnect(settings.proxyReconnect().reconnect());
    }

    /**
     * The proxy's recording hook (ADR 0021): each bridged call asks whether to record (the session's recording is on)
     * and writes its WAV into this runner's own temporary directory; the recorder uploads it after the end. Made once
     * per process, with a shutdown hook that lets an upload under way finish within the stop's grace period and
     * deletes what a runner stopped before its end recorded.
     */
    private static synchronized ProxyOptions.CallAudio callAudioRecorder() {
        if (callAudio == null) {
            Path directory;
            try {
                directory = Files.createTempDirectory("interview-call-audio-");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            CallAudioRecorder recorder = new CallAudioRecorder(directory);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (!recorder.awaitIdle(Duration.ofSeconds(4))) {
                    recorder.abandon("recording.upload_interrupted"); // stopped mid-upload: failed, not pending
                }
                recorder.discard();
            }, "runner-call-audio-stop"));
            callAudio = recorder;
        }
        CallAudioRecorder recorder = callAudio;
        return new ProxyOptions.CallAudio(recorder.directory(), recorder::recorded, recorder::wanted);
    }

    /**
     * Where this process's refusals (or incidents) go: the session it serves (one session per runner process), learnt
     * at the binding; until then, the log.
     */
    private static final class Sink<T> implements Consumer<T> {
        private volatile Consumer<T> target;

        Sink(Consumer<T> beforeBinding) {
            target = beforeBinding;
        }

        void to(Consumer<T> next) {
            target = next;
        }

        @Override
        public void accept(T value) {
            target.accept(value);
        }
    }

    /**
     * Where a proxy runner's incidents with OpenAI's socket go: logged with their stable code, and audited through the
     * control plane ({@code realtime.upstream_incident}) from a thread of their own, since the bridge reports them on
     * OpenAI's reader thread, which must never wait on HTTP. A drop is rare; a flapping connection is bounded by the
     * bridge's reconnect policy, so no cap is needed here beyond {@value #AUDITED_REFUSALS}.
     */
    private static Consumer<UpstreamIncident> incidents(RunnerSettings settings, HttpControlPlane controlPlane) {
        java.util.concurrent.ExecutorService sender = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "runner-incidents");
            t.setDaemon(true);
            return t;
        });
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        return incident -> {
            LOG.warn("session {}: proxied call {}: {} after {} attempt(s) ({})", settings.session(),
                    incident.callId(), incident.code(), incident.attempts(), incident.cause());
            if (count.incrementAndGet() > AUDITED_REFUSALS) {
                return;
            }
            sender.execute(() -> {
                try {
                    controlPlane.upstreamIncident(incident.code(), incident.attempts(), incident.cause());
                } catch (RuntimeException e) {
                    LOG.warn("auditing {} failed: {}", incident.code(), e.toString());
                }
            });
        };
    }

    /**
     * Where a proxy runner's refusals of browser client events go: the session's audit trail, through the control
     * plane. The bridge reports them on its data-channel thread, which must never wait on HTTP (or retries), so they
     * are sent one after another from a thread of their own; one that cannot be sent stays in the runner's log. A
     * page sending refusals in a loop gets the first {@value #AUDITED_REFUSALS} audited, not the control plane flooded.
     */
    private static Consumer<RefusedClientEvent> refusals(RunnerSettings settings, HttpControlPlane controlPlane) {
        java.util.concurrent.ExecutorService sender = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "runner-audit");
            t.setDaemon(true);
            return t;
        });
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        return refused -> {
            int n = count.incrementAndGet();
            if (n > AUDITED_REFUSALS) {
                if (n == AUDITED_REFUSALS + 1) {
                    LOG.warn("session {}: more than {} refused client events; the rest are not audited",
                            settings.session(), AUDITED_REFUSALS);
                }
                return;
            }
            LOG.warn("session {}: the browser's {} on oai-events was refused ({}; fields {}) and not sent to OpenAI",
                    settings.session(), refused.type(), refused.reason(), refused.fields());
            sender.execute(() -> {
                try {
                    controlPlane.clientEventRefused(refused.type(), refused.reason(), refused.fields());
                } catch (RuntimeException e) {
                    LOG.warn("auditing the refused {} failed: {}", refused.type(), e.toString());
                }
            });
        };
    }

    /**
     * The interview is over and reported: give the WebSocket a moment to close cleanly, store the call's audio if it
     * was recorded (after the end, so nothing waited for it; bounded), then exit.
     */
    static void exitSoon() {
        CallAudioRecorder recorder = callAudio;
        if (recorder != null) {
            recorder.endReported();
        }
        Thread exit = new Thread(() -> {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            if (recorder != null && !recorder.awaitIdle(CALL_AUDIO_UPLOAD_LIMIT)) {
                LOG.warn("the call audio's upload did not finish within {} min; exiting without it",
                        CALL_AUDIO_UPLOAD_LIMIT.toMinutes());
                recorder.abandon("recording.upload_timeout");
            }
            LOG.info("interview over, runner exiting");
            System.exit(0);
        }, "runner-exit");
        exit.setDaemon(false);
        exit.start();
    }
}
