package ai.interviewinsights.app.config;

import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.interview.Architecture;
import ai.interviewinsights.domain.model.runner.RunnerLaunch;
import java.net.URI;
import java.util.Optional;

/**
 * What a session runner reads from its environment, set by the provisioner by the launch contract
 * ({@link RunnerLaunch}: the names are defined there once). A runner holds no database
 * credentials: only its session-scoped token for the control plane and the key that checks its clients' tokens.
 */
public record RunnerSettings(String host, int port, SessionId session, TenantId tenant, Architecture architecture,
                             Secret runnerToken, Secret clientTokenKey, URI controlPlaneUrl,
                             Optional<Secret> openAiKey, URI openAiBaseUrl, String logFormat,
                             ProxyReconnectSettings proxyReconnect) {

    public static RunnerSettings from(Env env) {
        String host = env.string(RunnerLaunch.HOST, "0.0.0.0");
        int port = env.integer(RunnerLaunch.PORT, 8080, 0, 65535);
        SessionId session = null;
        TenantId tenant = null;
        try {
            session = SessionId.of(env.required(RunnerLaunch.SESSION_ID, "the session this runner serves"));
        } catch (RuntimeException e) {
            if (env.optional(RunnerLaunch.SESSION_ID).isPresent()) {
                env.problem(RunnerLaunch.SESSION_ID + " must be a UUID");
            }
        }
        try {
            tenant = TenantId.of(env.required(RunnerLaunch.TENANT_ID, "the tenant of that session"));
        } catch (RuntimeException e) {
            if (env.optional(RunnerLaunch.TENANT_ID).isPresent()) {
                env.problem(RunnerLaunch.TENANT_ID + " must be a UUID");
            }
        }
        // A launch without it comes from a provisioner older than the proxy architecture: those only ran hybrid.
        Architecture architecture = Architecture.HYBRID;
        String wire = env.optional(RunnerLaunch.ARCHITECTURE).orElse(null);
        if (wire != null) {
            try {
                architecture = Architecture.fromWire(wire);
            } catch (RuntimeException e) {
                env.problem(RunnerLaunch.ARCHITECTURE + " must be 'hybrid' or 'proxy'");
            }
        }
        String runnerToken = env.required(RunnerLaunch.RUNNER_TOKEN, "the runner's session-scoped token");
        String clientKey = env.required(RunnerLaunch.CLIENT_TOKEN_KEY, "the key that checks the browser's token");
        URI controlPlane = env.url(RunnerLaunch.CONTROL_PLANE_URL, "http", "https").orElse(null);
        if (controlPlane == null && env.optional(RunnerLaunch.CONTROL_PLANE_URL).isEmpty()) {
            env.problem(RunnerLaunch.CONTROL_PLANE_URL + " is required (where the runner reports to)");
        }
        URI openAiBase = env.url("OPENAI_BASE_URL", "https", "http").orElse(URI.create("https://api.openai.com"));
        String logFormat = env.string("LOG_FORMAT", "json");
        ProxyReconnectSettings proxyReconnect = ProxyReconnectSettings.from(env);
        env.requireValid();
        return new RunnerSettings(host, port, session, tenant, architecture, Secret.of(runnerToken),
                Secret.of(clientKey), controlPlane, env.secret("OPENAI_API_KEY"), openAiBase, logFormat, proxyReconnect);
    }

    @Override
    public String toString() {
        return "RunnerSettings[" + (architecture == null ? "?" : architecture.wireName()) + " session " + session
                + " of " + tenant + " on " + host + ":" + port + "]";
    }
}
