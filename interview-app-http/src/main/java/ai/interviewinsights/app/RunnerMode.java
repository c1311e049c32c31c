package ai.interviewinsights.app;

import ai.interviewinsights.adapters.openai.OpenAiAdapters;
import ai.interviewinsights.adapters.openai.OpenAiConfig;
import ai.interviewinsights.app.config.Env;
import ai.interviewinsights.app.config.RunnerSettings;
import ai.interviewinsights.app.local.LocalProcessRunnerProvisioner;
import ai.interviewinsights.app.local.UnconfiguredRealtime;
import ai.interviewinsights.app.web.Json;
import ai.interviewinsights.app.runner.controlplane.HttpControlPlane;
import ai.interviewinsights.app.runner.RelayWarmUp;
import ai.interviewinsights.app.runner.RunnerServer;
import ai.interviewinsights.domain.model.sdp.SdpLimits;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import ai.interviewinsights.domain.service.InterviewRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.LoggerFactory;

/** The session-runner role: one interview, then exit. */
final class RunnerMode {

    private RunnerMode() {
    }

    static RunnerServer start(Map<String, String> env) {
        RunnerSettings settings = RunnerSettings.from(new Env(env));
        Clock clock = Clock.systemUTC();
        RealtimeGateway realtime = settings.openAiKey()
                .<RealtimeGateway>map(key -> OpenAiAdapters.create(OpenAiConfig.defaults(key)
                        .withBaseUrl(settings.openAiBaseUrl()), clock).realtime())
                .orElseGet(UnconfiguredRealtime::new);
        HttpControlPlane controlPlane = new HttpControlPlane(settings.controlPlaneUrl(), settings.runnerToken(),
                Duration.ofSeconds(30));
        ScheduledExecutorService background = background();
        RunnerServer server = new RunnerServer(settings.session(), settings.tenant(), settings.clientTokenKey(),
                observer -> new InterviewRunner(settings.session(), controlPlane, realtime, clock,
                        SdpLimits.defaults(), observer, InterviewRunner.DrainPolicy.DEFAULT, background,
                        InterviewRunner.IngestPolicy.COALESCED),
                clock, RunnerMode::exitSoon, env.get("FLY_MACHINE_ID"));
        // The assignment is learnt while the server starts, once: no offer waits for the control plane.
        // (On a thread of its own that ends with it: an idle runner keeps no thread for this.)
        CompletableFuture<?> assignment = CompletableFuture.runAsync(() -> server.runner().prepare(),
                task -> new Thread(task, "runner-prepare").start());
        server.start(settings.host(), settings.port());
        // A dry run of the relay path (JSON, SDP, the connection to the realtime endpoint) before ready: the first
        // offer is the one a candidate waits for.
        RelayWarmUp.run(Json.shared(), realtime, SdpLimits.defaults());
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

    /** The interview is over and reported: give the WebSocket a moment to close cleanly, then exit. */
    private static void exitSoon() {
        Thread exit = new Thread(() -> {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            LoggerFactory.getLogger(RunnerMode.class).info("interview over, runner exiting");
            System.exit(0);
        }, "runner-exit");
        exit.setDaemon(false);
        exit.start();
    }
}
