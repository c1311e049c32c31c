package ai.interviewinsights.app;

import ai.interviewinsights.adapters.openai.OpenAiAdapters;
import ai.interviewinsights.adapters.openai.OpenAiConfig;
import ai.interviewinsights.app.config.Env;
import ai.interviewinsights.app.config.RunnerSettings;
import ai.interviewinsights.app.local.LocalProcessRunnerProvisioner;
import ai.interviewinsights.app.local.UnconfiguredRealtime;
import ai.interviewinsights.app.runner.HttpControlPlane;
import ai.interviewinsights.app.runner.RunnerServer;
import ai.interviewinsights.domain.model.sdp.SdpLimits;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import ai.interviewinsights.domain.service.InterviewRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** The session-runner role: one interview, then exit. */
final class RunnerMode {

    private RunnerMode() {
    }

    static RunnerServer start(Map<String, String> env) {
        return start(env, null);
    }

    /** @param realtime a gateway built ahead (a standby's, ADR 0020), or null to build one from the settings */
    static RunnerServer start(Map<String, String> env, RealtimeGateway realtime) {
        RunnerSettings settings = RunnerSettings.from(new Env(env));
        RunnerServer server = build(settings, env, RunnerMode::exitSoon,
                realtime != null ? realtime : realtime(settings));
        server.start(settings.host(), settings.port());
        // SIGTERM (the control plane destroys us, or stops): flush, hang up and tell the browser before exiting.
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutDown, "runner-shutdown"));
        // The provisioner that started us waits for this line to learn the port.
        System.out.println(LocalProcessRunnerProvisioner.READY_LINE + server.port());
        System.out.flush();
        return server;
    }

    /** The session's runner, not yet started (a standby also builds one for a rehearsal, ADR 0020). */
    static RunnerServer build(RunnerSettings settings, Map<String, String> env, Runnable onEnded,
                              RealtimeGateway realtime) {
        return new RunnerServer(settings.session(), settings.tenant(), settings.clientTokenKey(),
                runnerFactory(settings, realtime), Clock.systemUTC(), onEnded, env.get("FLY_MACHINE_ID"));
    }

    /** The session's interview logic around its ports: the control plane (with the session's token) and OpenAI. */
    static java.util.function.Function<InterviewRunner.Observer, InterviewRunner> runnerFactory(
            RunnerSettings settings, RealtimeGateway realtime) {
        Clock clock = Clock.systemUTC();
        HttpControlPlane controlPlane = new HttpControlPlane(settings.controlPlaneUrl(), settings.runnerToken(),
                Duration.ofSeconds(30));
        return observer -> new InterviewRunner(settings.session(), controlPlane, realtime, clock,
                SdpLimits.defaults(), observer);
    }

    /** The way to OpenAI (or the stand-in without a key): it depends on the key and URL only, not the session. */
    static RealtimeGateway realtime(RunnerSettings settings) {
        return settings.openAiKey()
                .<RealtimeGateway>map(key -> OpenAiAdapters.create(OpenAiConfig.defaults(key)
                        .withBaseUrl(settings.openAiBaseUrl()), Clock.systemUTC()).realtime())
                .orElseGet(UnconfiguredRealtime::new);
    }

    /** The interview is over and reported: give the WebSocket a moment to close cleanly, then exit. */
    static void exitSoon() {
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
