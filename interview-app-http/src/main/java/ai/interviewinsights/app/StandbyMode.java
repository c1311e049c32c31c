package ai.interviewinsights.app;

import ai.interviewinsights.app.web.Json;
import ai.interviewinsights.app.local.LocalProcessRunnerProvisioner;
import ai.interviewinsights.app.local.StandbyLaunch;
import ai.interviewinsights.app.config.Env;
import ai.interviewinsights.app.config.RunnerSettings;
import ai.interviewinsights.app.runner.RelayWarmUp;
import ai.interviewinsights.app.runner.RunnerServer;
import ai.interviewinsights.app.runner.StandbyRehearsal;
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
 * has been through a rehearsal; the same server waits for exactly one binding ({@link StandbyLaunch#BIND_PATH}): the
 * session's launch environment ({@link RunnerLaunch}), sent by the control plane that started it with the standby key
 * it was started with. Bound, the parked server becomes that session's runner, as if it had been built for it, and the
 * answer names its port; a second binding is refused. It exits when the control plane that started it is gone,
 * since nobody else could ever claim it.
 *
 * <p>At rest it keeps a runner's threads and no more (issue 16, goal 3): one server (it had a second one for the
 * binding, with its own threads and scheduler), the rehearsal's client closed after it (it was the JDK's, a second
 * HTTP stack whose threads outlived it), and the watch of its parent on the runner's timer (the JDK's watch of a
 * process that is not its child holds a thread while it polls). ADR 0020, amended.
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
    /** Built once, at the start: it depends on the OpenAI key and URL only, and the session's runner keeps it. */
    private volatile ai.interviewinsights.domain.port.out.RealtimeGateway realtime;
    /** The session's runner, started parked; null only until its server is up. */
    private volatile RunnerServer parked;
    /** The watch of the control plane that started us, until the binding (then the session's runner ends itself). */
    private volatile java.util.concurrent.Future<?> watch;

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
        // Nobody but the control plane that started us can claim us: when it is gone, so are we. Watched on the
        // runner's own timer (no thread of its own: the JDK's watch of a process not our child holds one, polling)
        // from the moment the server is up, before the rehearsal and the warm-up; a standby that cannot start its
        // server exits.
        java.util.Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        try {
            parked = startParked();
        } catch (RuntimeException e) {
            LOG.warn("the standby runner could not start its server; exiting: {}", e.toString());
            System.exit(1);
            return;
        }
        parent.ifPresent(process -> watch = parked.every(PARENT_CHECK, () -> {
            if (!bound.get() && !process.isAlive()) {
                LOG.info("the control plane that started this standby is gone; exiting");
                System.exit(0);
            }
        }));
        try {
            json.readValue("{\"" + RunnerLaunch.SESSION_ID + "\":\"warm-up\"}", new TypeReference<Map<String, String>>() { });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // our own literal
        }
        StandbyRehearsal.run(parked.port());
        warmUpRelay();
        System.out.println(LocalProcessRunnerProvisioner.READY_LINE + parked.port());
        System.out.flush();
    }

    /** How often a standby looks whether the control plane that started it is still there. */
    static final java.time.Duration PARENT_CHECK = java.time.Duration.ofSeconds(1);

    /**
     * Starts the session runner parked, for a made-up session that exists nowhere (the binding replaces it, and
     * nothing of it is kept), serving the standby's binding too: one server, on loopback by default.
     */
    private RunnerServer startParked() {
        Map<String, String> madeUp = new HashMap<>(env);
        madeUp.remove(StandbyLaunch.STANDBY_KEY);
        madeUp.put(RunnerLaunch.SESSION_ID, java.util.UUID.randomUUID().toString());
        madeUp.put(RunnerLaunch.TENANT_ID, java.util.UUID.randomUUID().toString());
        madeUp.put(RunnerLaunch.RUNNER_TOKEN, java.util.UUID.randomUUID().toString());
        madeUp.put(RunnerLaunch.CLIENT_TOKEN_KEY, java.util.UUID.randomUUID().toString());
        madeUp.put(RunnerLaunch.PORT, "0");
        madeUp.putIfAbsent(RunnerLaunch.HOST, "127.0.0.1"); // the binding's endpoint is for the control plane only
        RunnerSettings settings = RunnerSettings.from(new Env(madeUp));
        realtime = RunnerMode.realtime(settings);
        return RunnerMode.build(settings, madeUp, RunnerMode::exitSoon, realtime)
                .parked(StandbyLaunch.BIND_PATH, this::bind).start(settings.host(), 0);
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
        RunnerServer runner = parked;
        if (runner == null) { // its server answered before it knew itself: no binding is sent before READY
            throw new BadRequest(503, "runner.not_ready", "this standby runner is still starting");
        }
        if (!bound.compareAndSet(false, true)) {
            throw new BadRequest(409, "runner.already_bound", "this runner already serves a session");
        }
        java.util.concurrent.Future<?> watching = watch;
        if (watching != null) {
            watching.cancel(false);
        }
        Map<String, String> session = new HashMap<>(env);
        session.remove(StandbyLaunch.STANDBY_KEY);
        session.putAll(binding);
        long began = System.nanoTime();
        try {
            RunnerSettings settings = RunnerSettings.from(new Env(session));
            runner.bindTo(settings.session(), settings.tenant(), settings.clientTokenKey(),
                    RunnerMode.runnerFactory(settings, realtime));
            // SIGTERM: flush, hang up and tell the browser before exiting, as a runner started cold does.
            Runtime.getRuntime().addShutdownHook(new Thread(runner::shutDown, "runner-shutdown"));
            // The assignment now, as a cold runner learns it during its start: the candidate's first offer must not
            // be the one to ask the control plane (it was 58 ms p50 against 40 with this; the claim's READY pays
            // ~7-10 ms for it on two cores, where the fetch shares the CPU with the claim's own work; ADR 0020,
            // amended).
            RunnerMode.prepareAlongside(runner).exceptionally(e -> {
                LOG.warn("assignment not learnt at the binding, the first offer asks: {}",
                        String.valueOf(e.getCause() == null ? e : e.getCause()));
                return null;
            });
            LOG.info("standby bound: the session's runner listens after {} ms", (System.nanoTime() - began) / 1_000_000);
        } catch (RuntimeException e) {
            // Bound but unable to serve: this process is of no use to anyone any more.
            LOG.warn("standby runner could not become the session's runner: {}", e.toString());
            exitSoon(1);
            throw new BadRequest(400, "runner.bind_failed", "the runner could not start for this session");
        }
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
