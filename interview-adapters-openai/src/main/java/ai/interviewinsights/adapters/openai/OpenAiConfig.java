package ai.interviewinsights.adapters.openai;

import ai.interviewinsights.domain.model.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How the OpenAI adapter reaches OpenAI: where, with which key, how patiently, and which model writes evaluations.
 * Start from {@link #defaults(Secret)} and change what differs with the {@code with...} methods.
 *
 * <p>The API key is a {@link Secret}, so this record can be logged: its {@code toString} shows {@code Secret[***]}.
 *
 * @param baseUrl             OpenAI's origin (a proxy may add a path prefix); {@code /v1/...} is appended to it
 * @param apiKey              the server's API key; it never leaves the adapter
 * @param connectTimeout      time to open a TCP/TLS connection
 * @param readTimeout         longest silence while waiting for a reply
 * @param callTimeout         longest time one HTTP attempt may take, end to end
 * @param retry               how often and how patiently a failed call is retried
 * @param relayBudget         total time an SDP relay may take, retries included: the browser's offer goes stale
 * @param sideband            how the sideband WebSocket reconnects when it drops mid-call
 * @param evaluationModel     the Responses API model that writes evaluations
 * @param evaluationTimeout   read and call timeout of one evaluation attempt (reasoning models think for a while)
 * @param safetyIdentifierKey when present, evaluations carry OpenAI's {@code safety_identifier}: an HMAC of the
 *                            tenant id under this key, so OpenAI can tell tenants apart without learning who they are
 */
public record OpenAiConfig(URI baseUrl, Secret apiKey, Duration connectTimeout, Duration readTimeout,
                           Duration callTimeout, Retry retry, Duration relayBudget, Reconnect sideband,
                           String evaluationModel, Duration evaluationTimeout, Optional<Secret> safetyIdentifierKey) {

    public static final URI OPENAI = URI.create("https://api.openai.com");
    public static final String DEFAULT_EVALUATION_MODEL = "gpt-6.1-terra";

    public OpenAiConfig {
        baseUrl = checkBaseUrl(baseUrl);
        Objects.requireNonNull(apiKey, "apiKey");
        positive(connectTimeout, "connectTimeout");
        positive(readTimeout, "readTimeout");
        positive(callTimeout, "callTimeout");
        Objects.requireNonNull(retry, "retry");
        positive(relayBudget, "relayBudget");
        Objects.requireNonNull(sideband, "sideband");
        if (evaluationModel == null || evaluationModel.isBlank() || evaluationModel.length() > 100) {
            throw new IllegalArgumentException("evaluationModel must be 1 to 100 characters");
        }
        evaluationModel = evaluationModel.strip();
        positive(evaluationTimeout, "evaluationTimeout");
        Objects.requireNonNull(safetyIdentifierKey, "safetyIdentifierKey");
    }

    /**
     * OpenAI's public endpoint with production timeouts: 10 s to connect, 30 s read, 60 s per call, up to 4 attempts
     * with backoff from 0.5 s to 8 s, an SDP relay budget of 15 s, and evaluations by {@value #DEFAULT_EVALUATION_MODEL}
     * with 3 minutes per attempt.
     */
    public static OpenAiConfig defaults(Secret apiKey) {
        return new OpenAiConfig(OPENAI, apiKey, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
                Retry.defaults(), Duration.ofSeconds(15), Reconnect.defaults(), DEFAULT_EVALUATION_MODEL,
                Duration.ofMinutes(3), Optional.empty());
    }

    public OpenAiConfig withBaseUrl(URI url) {
        return new OpenAiConfig(url, apiKey, connectTimeout, readTimeout, callTimeout, retry, relayBudget, sideband,
                evaluationModel, evaluationTimeout, safetyIdentifierKey);
    }

    public OpenAiConfig withTimeouts(Duration connect, Duration read, Duration call) {
        return new OpenAiConfig(baseUrl, apiKey, connect, read, call, retry, relayBudget, sideband, evaluationModel,
                evaluationTimeout, safetyIdentifierKey);
    }

    public OpenAiConfig withRetry(Retry policy) {
        return new OpenAiConfig(baseUrl, apiKey, connectTimeout, readTimeout, callTimeout, policy, relayBudget,
                sideband, evaluationModel, evaluationTimeout, safetyIdentifierKey);
    }

    public OpenAiConfig withRelayBudget(Duration budget) {
        return new OpenAiConfig(baseUrl, apiKey, connectTimeout, readTimeout, callTimeout, retry, budget, sideband,
                evaluationModel, evaluationTimeout, safetyIdentifierKey);
    }

    public OpenAiConfig withSideband(Reconnect reconnect) {
        return new OpenAiConfig(baseUrl, apiKey, connectTimeout, readTimeout, callTimeout, retry, relayBudget,
                reconnect, evaluationModel, evaluationTimeout, safetyIdentifierKey);
    }

    public OpenAiConfig withEvaluation(String model, Duration timeout) {
        return new OpenAiConfig(baseUrl, apiKey, connectTimeout, readTimeout, callTimeout, retry, relayBudget,
                sideband, model, timeout, safetyIdentifierKey);
    }

    public OpenAiConfig withSafetyIdentifierKey(Secret key) {
        return new OpenAiConfig(baseUrl, apiKey, connectTimeout, readTimeout, callTimeout, retry, relayBudget,
                sideband, evaluationModel, evaluationTimeout, Optional.of(key));
    }

    /**
     * Retries of one HTTP call (429, 500, 502, 503, 504 and transport failures; never other 4xx).
     *
     * @param maxAttempts    attempts in all, the first included (1 means no retry)
     * @param initialBackoff wait before the first retry; doubles on each further one
     * @param maxBackoff     the longest computed wait
     * @param jitter         fraction (0 to 0.9) by which each wait is randomly shortened or lengthened, so many
     *                       clients do not retry in step
     * @param maxRetryAfter  the longest {@code Retry-After} honoured; when OpenAI asks for more, the call fails at
     *                       once with {@code openai.rate_limited} instead of blocking its caller
     */
    public record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter,
                        Duration maxRetryAfter) {

        public Retry {
            if (maxAttempts < 1 || maxAttempts > 10) {
                throw new IllegalArgumentException("maxAttempts must be 1 to 10");
            }
            positive(initialBackoff, "initialBackoff");
            positive(maxBackoff, "maxBackoff");
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff must not be shorter than initialBackoff");
            }
            if (!(jitter >= 0 && jitter <= 0.9)) {
                throw new IllegalArgumentException("jitter must be between 0 and 0.9");
            }
            positive(maxRetryAfter, "maxRetryAfter");
        }

        public static Retry defaults() {
            return new Retry(4, Duration.ofMillis(500), Duration.ofSeconds(8), 0.25, Duration.ofSeconds(30));
        }

        /** One attempt only. */
        public static Retry none() {
            return new Retry(1, Duration.ofMillis(1), Duration.ofMillis(1), 0, Duration.ofMillis(1));
        }
    }

    /**
     * Reconnection of the sideband WebSocket after it dropped while the call was live.
     *
     * @param initialBackoff wait before the first reconnect; doubles up to {@code maxBackoff}, with jitter
     * @param maxBackoff     the longest wait between reconnects
     * @param giveUpAfter    how long the sideband may stay disconnected before it is given up and the call reported
     *                       as ended; the default is OpenAI's longest session (60 minutes), i.e. as long as the call
     *                       can possibly be live
     * @param pingInterval   WebSocket ping interval, which also detects a dead connection
     */
    public record Reconnect(Duration initialBackoff, Duration maxBackoff, Duration giveUpAfter, Duration pingInterval) {

        public Reconnect {
            positive(initialBackoff, "initialBackoff");
            positive(maxBackoff, "maxBackoff");
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff must not be shorter than initialBackoff");
            }
            positive(giveUpAfter, "giveUpAfter");
            positive(pingInterval, "pingInterval");
        }

        public static Reconnect defaults() {
            return new Reconnect(Duration.ofMillis(250), Duration.ofSeconds(10), Duration.ofMinutes(60),
                    Duration.ofSeconds(20));
        }
    }

    private static URI checkBaseUrl(URI url) {
        Objects.requireNonNull(url, "baseUrl");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || url.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL");
        }
        if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("baseUrl must not carry user info, a query or a fragment");
        }
        return url;
    }

    private static void positive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration");
        }
    }
}
