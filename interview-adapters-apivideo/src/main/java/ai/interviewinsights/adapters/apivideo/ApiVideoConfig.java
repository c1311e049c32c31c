package ai.interviewinsights.adapters.apivideo;

import ai.interviewinsights.domain.model.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How to reach api.video: which environment, with which API key, how long to wait, how hard to retry, and the secret
 * that signs its webhooks.
 *
 * <p>Start from {@link #production(Secret)} or {@link #sandbox(Secret)} and adjust with the {@code with...} methods.
 * The API key and the webhook secret are {@link Secret}s, so printing a config never prints them.
 *
 * @param baseUrl          {@link #PRODUCTION} or {@link #SANDBOX}; https, except a loopback http URL for tests
 * @param apiKey           the workspace's API key; it never leaves the server
 * @param webhookSecret    the {@code signatureSecret} api.video returned when the webhook was created, or null when
 *                         webhooks are not used
 * @param privateVideos    create videos with {@code public: false}: every asset URL then carries a one-use private
 *                         token, so a leaked link is worthless (interview recordings are personal data)
 * @param connectTimeout   TCP and TLS connection timeout
 * @param callTimeout      upper bound on one HTTP exchange, reading the answer included
 * @param maxRetries       retries after a 429 (any call) or a 5xx/network failure (idempotent calls only)
 * @param retryBackoff     first wait between retries when api.video does not say how long; doubles up to
 *                         {@code maxRetryWait}
 * @param maxRetryWait     the longest single wait this client accepts; a 429 asking for longer fails at once
 *                         (retryable) instead of holding the caller's thread
 */
public record ApiVideoConfig(URI baseUrl, Secret apiKey, Secret webhookSecret, boolean privateVideos,
                             Duration connectTimeout, Duration callTimeout, int maxRetries, Duration retryBackoff,
                             Duration maxRetryWait) {

    /** api.video's production environment. */
    public static final URI PRODUCTION = URI.create("https://ws.api.video");
    /** api.video's sandbox: watermarked videos of at most 30 s, deleted after 24 h. */
    public static final URI SANDBOX = URI.create("https://sandbox.api.video");

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    public ApiVideoConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKey, "apiKey");
        boolean https = "https".equals(baseUrl.getScheme());
        boolean loopbackHttp = "http".equals(baseUrl.getScheme()) && LOOPBACK.contains(baseUrl.getHost());
        if (baseUrl.getHost() == null || !(https || loopbackHttp)) {
            // the API key travels to this URL: plain http is allowed only to a test server on this machine
            throw new IllegalArgumentException("api.video base URL must be https (or http to localhost for tests)");
        }
        positive(connectTimeout, "connectTimeout");
        positive(callTimeout, "callTimeout");
        positive(retryBackoff, "retryBackoff");
        positive(maxRetryWait, "maxRetryWait");
        if (maxRetries < 0 || maxRetries > 10) {
            throw new IllegalArgumentException("maxRetries must be between 0 and 10");
        }
    }

    /** Production defaults: private videos, 10 s to connect, 30 s per call, 3 retries, waits of at most 30 s. */
    public static ApiVideoConfig production(Secret apiKey) {
        return new ApiVideoConfig(PRODUCTION, apiKey, null, true, Duration.ofSeconds(10), Duration.ofSeconds(30), 3,
                Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    /** Like {@link #production} against the sandbox. */
    public static ApiVideoConfig sandbox(Secret apiKey) {
        return production(apiKey).withBaseUrl(SANDBOX);
    }

    public ApiVideoConfig withBaseUrl(URI url) {
        return new ApiVideoConfig(url, apiKey, webhookSecret, privateVideos, connectTimeout, callTimeout, maxRetries,
                retryBackoff, maxRetryWait);
    }

    public ApiVideoConfig withWebhookSecret(Secret secret) {
        return new ApiVideoConfig(baseUrl, apiKey, secret, privateVideos, connectTimeout, callTimeout, maxRetries,
                retryBackoff, maxRetryWait);
    }

    public ApiVideoConfig withPrivateVideos(boolean enabled) {
        return new ApiVideoConfig(baseUrl, apiKey, webhookSecret, enabled, connectTimeout, callTimeout, maxRetries,
                retryBackoff, maxRetryWait);
    }

    public ApiVideoConfig withTimeouts(Duration connect, Duration call) {
        return new ApiVideoConfig(baseUrl, apiKey, webhookSecret, privateVideos, connect, call, maxRetries,
                retryBackoff, maxRetryWait);
    }

    public ApiVideoConfig withRetries(int retries, Duration backoff, Duration maxWait) {
        return new ApiVideoConfig(baseUrl, apiKey, webhookSecret, privateVideos, connectTimeout, callTimeout, retries,
                backoff, maxWait);
    }

    /** The webhook signing secret, when webhooks are configured. */
    public Optional<Secret> webhookSigningSecret() {
        return Optional.ofNullable(webhookSecret);
    }

    private static void positive(Duration value, String name) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
