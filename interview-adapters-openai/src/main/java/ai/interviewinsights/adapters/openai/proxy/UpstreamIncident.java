package ai.interviewinsights.adapters.openai.proxy;

import java.util.Objects;

/**
 * Something happened to a proxied call's socket to OpenAI that an operator should be able to find later: it dropped
 * and the bridge got it back ({@link #RECONNECTED}), or it was lost for good and the call ended
 * ({@link #LOST}). Carries names and counts only: no key, no conversation text.
 *
 * @param code     {@value #RECONNECTED} or {@value #LOST}
 * @param callId   the proxied call ({@code proxy_...})
 * @param attempts how many new sockets were tried
 * @param cause    what happened to the socket, as a short stable word: {@code socket_failed} (reset, EOF, timeout),
 *                 {@code closed_<code>} (OpenAI closed it with that code), {@code refused_<status>} (a new socket's
 *                 handshake was refused)
 */
public record UpstreamIncident(String code, String callId, int attempts, String cause) {

    public static final String RECONNECTED = "proxy.upstream_reconnected";
    public static final String LOST = "proxy.upstream_lost";

    public UpstreamIncident {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(cause, "cause");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative");
        }
    }
}
