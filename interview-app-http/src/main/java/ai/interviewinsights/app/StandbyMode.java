package ai.interviewinsights.app;

import ai.interviewinsights.app.web.Json;
import ai.interviewinsights.app.local.LocalProcessRunnerProvisioner;
import ai.interviewinsights.app.local.StandbyLaunch;
import ai.interviewinsights.app.config.Env;
import ai.interviewinsights.app.config.RunnerSettings;
import ai.interviewinsights.app.runner.RelayWarmUp;
import ai.interviewinsights.app.runner.RunnerServer;
import ai.interviewinsights.domain.model.sdp.SdpLimits;
import ai.interviewinsights.domain.model.runner.RunnerLaunch;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import ai.interviewinsights.app.runner.RunnerHttp;
import ai.interviewinsights.app.web.BadRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standby runner (ADR 0020): a runner process started ahead of any session, holding nothing of any tenant. Its
 * session runner's HTTP server is already up, parked (it refuses every browser, its time budget does not run), and
 * has been through a rehearsal; a small second server on loopback waits for exactly one binding: the session's
 * launch environment ({@link RunnerLaunch}), sent by the control plane that started it with the standby key it was
 * started with. Bound, the parked server becomes that session's runner, as if it had been built for it, and the
 * answer names its port; a second binding is refused. It exits when the control plane that started it is gone,
 * since nobody else could ever claim it.
 */
final class StandbyMode {

    private static final Logger LOG = LoggerFactory.getLogger(StandbyMode.class);
    /**
     * What a binding may set: the launch contract's session variables and where the control plane is now (it may
     * not have known its own port when it started us), nothing else (no HOST, PORT, MODE).
     */
    private static final Set<String> BINDABLE = Set.of(RunnerLaunch.CONTROL_PLANE_URL, RunnerLaunch.SESSION_ID,
            RunnerLaunch.TENANT_ID,
            RunnerLaunch.CANDIDATE_ID, RunnerLaunch.POSITION_ID, RunnerLaunch.RUNNER_TOKEN,
            RunnerLaunch.CLIENT_TOKEN_KEY, RunnerLaunch.MAX_DURATION_SECONDS);

    private final Map<String, String> env;
    private final byte[] key;
    private final AtomicBoolean bound = new AtomicBoolean();
    private final ObjectMapper json = Json.mapper();
    private RunnerHttp server;
    /** Built once, by the rehearsal: it depends on the OpenAI key and URL only, and the session's runner keeps it. */
    private volatile ai.interviewinsights.domain.port.out.RealtimeGateway realtime;
    /** The session's runner, started parked; null if the rehearsal failed (then a binding starts one, slower). */
    private volatile RunnerServer parked;

    private StandbyMode(Map<String, String> env) {
        this.env = env;
        this.key = env.get(StandbyLaunch.STANDBY_KEY).getBytes(StandardCharsets.UTF_8);
    }

    /** Whether this environment starts a standby rather than a session's runner. */
    static boolean applies(Map<String, String> env) {
        String key = env.get(StandbyLaunch.STANDBY_KEY);
        return key != null && !key.isBlank() && env.get(RunnerLaunch.SESSION_ID) == null;
    }

    static void start(Map<String, String> env) {
        new StandbyMode(env).serve();
    }

    private void serve() {
        // Nobody but the control plane that started us can claim us: when it is gone, so are we. Watched from the
        // first moment: a parent that exits during the rehearsal or the warm-up would otherwise leave us running.
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            if (!bound.get()) {
                System.exit(0);
            }
        }));
        parked = rehearse();
        warmUpRelay();
        String host = env.getOrDefault(RunnerLaunch.HOST, "127.0.0.1");
        // On Jetty alone, as the session runner's own server (ADR 0027).
        server = new RunnerHttp(json, null, () -> null).threads("standby-http", 4)
                .route("GET", "/health", request -> server.json(200, Map.of("status", "standby",
                        "architecture", env.getOrDefault(StandbyLaunch.ARCHITECTURE, "hybrid"))))
                .route("POST", StandbyLaunch.BIND_PATH, this::bind);
        try {
            server.start(host, 0, null);
        } catch (Exception e) {
            throw new IllegalStateException("the standby's server could not start on " + host, e);
        }
        System.out.println(LocalProcessRunnerProvisioner.READY_LINE + server.port());
        System.out.flush();
    }

    /**
     * Starts the session runner parked, for a made-up session, and talks to it as a browser would (a health check,
     * a WebSocket it refuses): its classes and code paths are loaded and run once, so that a claim costs
     * milliseconds instead of a JVM's first run through them. The made-up session exists nowhere; the binding
     * replaces it, and nothing of it is kept.
     */
    private RunnerServer rehearse() {
        Map<String, String> madeUp = new HashMap<>(env);
        madeUp.remove(StandbyLaunch.STANDBY_KEY);
        madeUp.put(RunnerLaunch.SESSION_ID, java.util.UUID.randomUUID().toString());
        madeUp.put(RunnerLaunch.TENANT_ID, java.util.UUID.randomUUID().toString());
        madeUp.put(RunnerLaunch.RUNNER_TOKEN, java.util.UUID.randomUUID().toString());
        madeUp.put(RunnerLaunch.CLIENT_TOKEN_KEY, java.util.UUID.randomUUID().toString());
        madeUp.put(RunnerLaunch.PORT, "0");
        RunnerServer server = null;
        try {
            json.readValue("{\"" + RunnerLaunch.SESSION_ID + "\":\"warm-up\"}", new TypeReference<Map<String, String>>() { });
            RunnerSettings settings = RunnerSettings.from(new Env(madeUp));
            realtime = RunnerMode.realtime(settings);
            server = RunnerMode.build(settings, madeUp, RunnerMode::exitSoon, realtime).parked()
                    .start(settings.host(), 0);
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            String base = "127.0.0.1:" + server.port();
            client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + base + "/health"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            java.util.concurrent.CompletableFuture<Void> closed = new java.util.concurrent.CompletableFuture<>();
            client.newWebSocketBuilder().buildAsync(java.net.URI.create("ws://" + base + "/ws?session="
                    + settings.session() + "&tenant=" + settings.tenant() + "&token=rehearsal"),
                    new java.net.http.WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket ws, int code,
                                                                               String reason) {
                            closed.complete(null);
                            return null;
                        }
                    }).get(10, java.util.concurrent.TimeUnit.SECONDS);
            closed.get(10, java.util.concurrent.TimeUnit.SECONDS);
            return server;
        } catch (Exception e) {
            LOG.info("the standby's rehearsal did not complete ({}); a binding starts its runner then", e.toString());
            if (server != null) {
                server.stop();
            }
            return null;
        }
    }

    /**
     * The dry run a cold runner does alongside its start ({@link RelayWarmUp}: the messages' JSON, the SDP checks,
     * the assignment's decoding, the gateway's connection and its rehearsed exchange), done here before READY: a
     * claim must find the relay path as warm as a cold runner's, or the candidate's first offer pays for its first
     * run (measured: 218 ms p50 on a claimed standby without it against 35 ms on a cold runner, `bash
     * scripts/benchmark --pool`). Before READY, so a claim never shares the cores with it; a standby's own start is
     * not on any candidate's wait.
     */
    private void warmUpRelay() {
        if (realtime != null) {
            RelayWarmUp.run(Json.shared(), realtime, SdpLimits.defaults());
        }
    }

    private RunnerHttp.Answer bind(org.eclipse.jetty.server.Request request) {
        String presented = request.getHeaders().get("Authorization");
        byte[] given = presented == null || !presented.startsWith("Bearer ") ? new byte[0]
                : presented.substring(7).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, key)) {
            throw new BadRequest(401, "auth.invalid",
                    "this standby runner is bound only by the control plane that started it");
        }
        String body = RunnerHttp.text(request, 16_384, 413, "request.too_large", "a binding is at most 16 KiB");
        Map<String, String> binding;
        try {
            binding = json.readValue(body, new TypeReference<Map<String, String>>() { });
        } catch (Exception e) {
            throw new BadRequest(400, "invalid.binding", "the binding is a JSON object of strings");
        }
        if (binding == null || !BINDABLE.containsAll(binding.keySet()) || !binding.keySet().containsAll(
                Set.of(RunnerLaunch.SESSION_ID, RunnerLaunch.TENANT_ID, RunnerLaunch.RUNNER_TOKEN,
                        RunnerLaunch.CLIENT_TOKEN_KEY))) {
            throw new BadRequest(400, "invalid.binding",
                    "the binding names the session's launch variables, and only those");
        }
        if (!bound.compareAndSet(false, true)) {
            throw new BadRequest(409, "runner.already_bound", "this runner already serves a session");
        }
        Map<String, String> session = new HashMap<>(env);
        session.remove(StandbyLaunch.STANDBY_KEY);
        session.putAll(binding);
        session.put(RunnerLaunch.PORT, "0");
        RunnerServer runner;
        long began = System.nanoTime();
        try {
            if (parked != null) {
                RunnerSettings settings = RunnerSettings.from(new Env(session));
                parked.bindTo(settings.session(), settings.tenant(), settings.clientTokenKey(),
                        RunnerMode.runnerFactory(settings, realtime));
                runner = parked;
                // SIGTERM: flush, hang up and tell the browser before exiting, as a runner started cold does.
                Runtime.getRuntime().addShutdownHook(new Thread(runner::shutDown, "runner-shutdown"));
                // The assignment now, as a cold runner learns it during its start: the candidate's first offer
                // must not be the one to ask the control plane (it was 58 ms p50 against 40 with this; the claim's
                // READY pays ~7-10 ms for it on two cores, where the fetch shares the CPU with the claim's own
                // work; ADR 0020, amended).
                RunnerMode.prepareAlongside(runner).exceptionally(e -> {
                    LOG.warn("assignment not learnt at the binding, the first offer asks: {}",
                            String.valueOf(e.getCause() == null ? e : e.getCause()));
                    return null;
                });
            } else {
                runner = RunnerMode.start(session, realtime);
            }
            LOG.info("standby bound: the session's runner listens after {} ms", (System.nanoTime() - began) / 1_000_000);
        } catch (RuntimeException e) {
            // Bound but unable to serve: this process is of no use to anyone any more.
            LOG.warn("standby runner could not become the session's runner: {}", e.toString());
            exitSoon(1);
            throw new BadRequest(400, "runner.bind_failed", "the runner could not start for this session");
        }
        // The standby server has done its one job; the session's runner serves from here on. Stopped a moment
        // later: this answer is written after the handler returns, and a stop now would cut it off.
        Thread stop = new Thread(() -> {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            try {
                server.stop();
            } catch (Exception e) {
                LOG.debug("stopping the standby's server: {}", e.toString());
            }
        }, "standby-stop");
        stop.setDaemon(true);
        stop.start();
        // Written by hand: no JSON mapper's first use on a claim's path.
        return RunnerHttp.Answer.of(200, "application/json", "{\"port\":" + runner.port() + "}");
    }

    private static void exitSoon(int code) {
        Thread exit = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            System.exit(code);
        }, "standby-exit");
        exit.start();
    }
}
