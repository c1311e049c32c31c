package ai.interviewinsights.domain.model.runner;

import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A provisioned runner: the provider's id for it (a Fly machine id, a local process id), its name, and the
 * WebSocket endpoint the browser connects to. The endpoint may already carry query parameters (a Fly machine id
 * for {@code fly-replay} routing); {@link #websocketUrl} adds the session's.
 */
public record RunnerRef(RunnerId runnerId, RunnerName name, URI endpoint) {

    public RunnerRef {
        Require.present(runnerId, "runner_id");
        Require.present(name, "runner_name");
        Require.present(endpoint, "runner_endpoint");
        String scheme = endpoint.getScheme();
        if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
            throw new IllegalArgumentException("a runner endpoint is a ws:// or wss:// URI");
        }
    }

    /** The URL handed to the browser: the endpoint plus {@code token}, {@code session} and {@code tenant}. */
    public String websocketUrl(String clientToken, SessionId session, TenantId tenant) {
        String base = endpoint.toString();
        String separator = endpoint.getRawQuery() == null ? "?" : "&";
        return base + separator + "token=" + URLEncoder.encode(clientToken, StandardCharsets.UTF_8)
                + "&session=" + session + "&tenant=" + tenant;
    }
}
