package ai.interviewinsights.app.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The response headers every answer carries, API and page, success and error alike (Jetty's own error answers get
 * them through {@link JettyProblems}). A page that needs more (its own Content-Security-Policy with scripts, a
 * Permissions-Policy for the microphone) sets it in its handler; what a handler set is never overwritten.
 *
 * <ul>
 *   <li>{@code X-Content-Type-Options: nosniff} - a JSON answer is never run as script;</li>
 *   <li>{@code X-Frame-Options: DENY} and CSP {@code frame-ancestors 'none'} - nothing of ours in a frame;</li>
 *   <li>{@code Referrer-Policy: no-referrer} - invite links carry a token in the path;</li>
 *   <li>{@code Cross-Origin-Opener-Policy: same-origin};</li>
 *   <li>{@code Content-Security-Policy: default-src 'none'; frame-ancestors 'none'} on everything that is not
 *       HTML (an API answer loads nothing), {@code frame-ancestors 'none'} on HTML without a policy of its own;</li>
 *   <li>{@code Cache-Control: no-store} on API answers (they carry personal data and tokens);</li>
 *   <li>{@code Strict-Transport-Security: max-age=31536000; includeSubDomains} when served over HTTPS.</li>
 * </ul>
 *
 * <p>Free of Javalin and of the servlet API: a runner, which carries neither (ADR 0027), puts the same headers on its
 * answers. The control plane adds them to Javalin's in {@code ControlPlaneHttp}.
 */
public final class SecurityHeaders {

    public static final String NOT_HTML_POLICY = "default-src 'none'; frame-ancestors 'none'";
    public static final String HTML_POLICY = "frame-ancestors 'none'";
    public static final String HSTS = "max-age=31536000; includeSubDomains";

    private final boolean https;

    /** @param https whether browsers reach us over HTTPS (PUBLIC_URL): only then is HSTS sent */
    public SecurityHeaders(boolean https) {
        this.https = https;
    }

    /** The headers for an answer of this content type (null when unknown), in order. */
    public Map<String, String> headersFor(String contentType, boolean api) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("Cross-Origin-Opener-Policy", "same-origin");
        boolean html = contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("text/html");
        headers.put("Content-Security-Policy", html ? HTML_POLICY : NOT_HTML_POLICY);
        if (api) {
            headers.put("Cache-Control", "no-store");
        }
        if (https) {
            headers.put("Strict-Transport-Security", HSTS);
        }
        return headers;
    }

}
