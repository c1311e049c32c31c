package ai.interviewinsights.domain.model.runner;

import ai.interviewinsights.domain.model.Require;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The runner's launch contract, written once: how a provisioner tells a runner process, through its environment,
 * which session it serves and how to reach the control plane. Every provisioner (a Fly machine's {@code env}, a local
 * child process's environment) writes {@link #environment()}, and the runner reads the same names back, so a name
 * can no longer be misspelt on one side only. It lives in the domain, beside {@link RunnerSpec}, because the
 * provisioners that write it (an adapter, the app) may not see each other.
 *
 * @param spec            the runner to launch
 * @param controlPlaneUrl where the runner reports to ({@value #CONTROL_PLANE_URL})
 * @param host            the interface to listen on ({@value #HOST}), or {@code null} for the runner's default (all)
 * @param port            the port to listen on ({@value #PORT}; 0 picks a free one and the runner reports it)
 */
public record RunnerLaunch(RunnerSpec spec, URI controlPlaneUrl, String host, int port) {

    /** {@code runner}: which of the app's two roles to play ({@value #RUNNER_MODE}). */
    public static final String MODE = "INTERVIEW_MODE";
    public static final String RUNNER_MODE = "runner";
    /** The session the runner serves (a UUID). Read by the runner. */
    public static final String SESSION_ID = "SESSION_ID";
    /** That session's tenant (a UUID). Read by the runner. */
    public static final String TENANT_ID = "TENANT_ID";
    /** The runner's session-scoped token for the control plane. Read by the runner; a secret. */
    public static final String RUNNER_TOKEN = "RUNNER_TOKEN";
    /** The key that checks the browser's session token. Read by the runner; a secret. */
    public static final String CLIENT_TOKEN_KEY = "CLIENT_TOKEN_KEY";
    /**
     * The session's architecture ({@code hybrid} or {@code proxy}, {@link
     * ai.interviewinsights.domain.model.interview.Architecture#wireName()}): which realtime gateway the runner builds
     * (the SDP relay, or its own WebRTC peer bridged to OpenAI's WebSocket). Read by the runner at start, before any
     * offer, so a standby runner of one architecture's pool is ready as soon as it is assigned.
     */
    public static final String ARCHITECTURE = "ARCHITECTURE";
    /** Where the runner reports to. Read by the runner. */
    public static final String CONTROL_PLANE_URL = "CONTROL_PLANE_URL";
    /** Where to listen. Read by the runner (and by the control plane for itself). */
    public static final String HOST = "HOST";
    public static final String PORT = "PORT";
    /** For whoever inspects a runner (a Fly machine's config); the runner learns these from its assignment. */
    public static final String CANDIDATE_ID = "CANDIDATE_ID";
    public static final String POSITION_ID = "POSITION_ID";
    public static final String MAX_DURATION_SECONDS = "MAX_DURATION_SECONDS";

    public RunnerLaunch {
        Require.present(spec, "runner_spec");
        Require.present(controlPlaneUrl, "control_plane_url");
        Require.between(port, 0, 65_535, "port");
    }

    /** The runner's environment, in a stable order; it holds the runner's secrets, so it is never logged. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(SESSION_ID, spec.session().toString());
        env.put(TENANT_ID, spec.tenant().toString());
        env.put(CANDIDATE_ID, spec.candidate().toString());
        env.put(POSITION_ID, spec.position().toString());
        env.put(ARCHITECTURE, spec.architecture().wireName());
        env.put(RUNNER_TOKEN, spec.runnerToken().reveal());
        env.put(CLIENT_TOKEN_KEY, spec.clientTokenKey().reveal());
        env.put(MODE, RUNNER_MODE);
        env.put(CONTROL_PLANE_URL, controlPlaneUrl.toString());
        env.put(MAX_DURATION_SECONDS, Long.toString(spec.maxDuration().toSeconds()));
        if (host != null) {
            env.put(HOST, host);
        }
        env.put(PORT, Integer.toString(port));
        return Collections.unmodifiableMap(env);
    }

    @Override
    public String toString() {
        return "RunnerLaunch[" + spec.name() + " -> " + controlPlaneUrl + ", " + Objects.toString(host, "*") + ":"
                + port + "]";
    }
}
