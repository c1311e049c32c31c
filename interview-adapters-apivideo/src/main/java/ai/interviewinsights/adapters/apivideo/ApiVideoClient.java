package ai.interviewinsights.adapters.apivideo;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.Secret;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small HTTP client under the adapter: JSON in and out, a bearer token on every call, one more token and one
 * more try after a 401, and retries with backoff (Failsafe) after a 429 or, for calls that are safe to repeat, a 5xx
 * or a network failure. A 429 waits what {@code X-RateLimit-Retry-After} says.
 *
 * <p>Logs name the operation and a path template ({@code DELETE /upload-tokens/{token}}), never the real path, a
 * header or a body, so no key or token can reach them.
 */
final class ApiVideoClient {

    private static final Logger LOG = LoggerFactory.getLogger(ApiVideoClient.class);
    private static final MediaType JSON = MediaType.get("application/json");
    private static final String USER_AGENT = "interview-insights-apivideo";

    /** What one HTTP exchange returned. {@code retryAfter} is api.video's {@code X-RateLimit-Retry-After}. */
    record Reply(int status, String body, Optional<Duration> retryAfter) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        @Override
        public String toString() {
            return "Reply[" + status + "]"; // a body may hold a token
        }
    }

    /**
     * One request to api.video.
     *
     * @param operation  what the call does, in words for errors ("create the interview's video")
     * @param template   method and path template for logs ({@code GET /videos/{videoId}/status})
     * @param idempotent whether repeating the call after a 5xx or a network failure is harmless
     * @param secrets    values the call carries (in its path or body) that must be scrubbed from any message
     */
    record Call(String method, List<String> path, Object body, String operation, String template,
                boolean idempotent, List<Secret> secrets) {

        static Call get(String operation, String template, String... path) {
            return new Call("GET", List.of(path), null, operation, template, true, List.of());
        }

        static Call delete(String operation, String template, List<Secret> secrets, String... path) {
            return new Call("DELETE", List.of(path), null, operation, template, true, secrets);
        }

        static Call post(String operation, String template, Object body, String... path) {
            return new Call("POST", List.of(path), body, operation, template, false, List.of());
        }

        Call carrying(Secret secret) {
            List<Secret> all = new ArrayList<>(secrets);
            all.add(secret);
            return new Call(method, path, body, operation, template, idempotent, List.copyOf(all));
        }

        @Override
        public String toString() {
            return "Call[" + template + "]";
        }
    }

    private final HttpUrl baseUrl;
    private final OkHttpClient http;
    private final ObjectMapper json;
    private final AccessTokens tokens;
    private final RetryPolicy<Reply> retrySafe;
    private final RetryPolicy<Reply> retryRateLimitOnly;
    private final Secret apiKey;
    private final Clock clock;

    ApiVideoClient(ApiVideoConfig config, OkHttpClient http, ObjectMapper json, Clock clock) {
        this.baseUrl = HttpUrl.get(config.baseUrl().toString());
        this.http = http;
        this.json = json;
        this.apiKey = config.apiKey();
        this.clock = clock;
        this.retrySafe = retryPolicy(config, true);
        this.retryRateLimitOnly = retryPolicy(config, false);
        this.tokens = new AccessTokens(this, config.apiKey(), clock);
    }

    /**
     * Where a call runs beside the caller's (the upload token beside the video): the client's own dispatcher threads
     * (OkHttp's, started when needed and ended after a minute idle), so the adapter keeps no pool of its own.
     */
    java.util.concurrent.Executor background() {
        return http.dispatcher().executorService();
    }

    /** The absolute URL of a path on the configured host (no query: nothing secret). */
    java.net.URI endpoint(String... path) {
        HttpUrl.Builder url = baseUrl.newBuilder();
        for (String segment : path) {
            url.addPathSegment(segment);
        }
        return url.build().uri();
    }

    /** Sends the call with a bearer token; after a 401, renews the token once and sends it again. */
    Reply authorized(Call call) {
        Secret token = tokens.current();
        Reply reply = execute(call, token);
        if (reply.status() == 401) {
            LOG.info("api.video rejected the access token on {}; authenticating again", call.template());
            tokens.rejected(token);
            Secret renewed = tokens.current();
            reply = execute(call, renewed);
            if (reply.status() == 401) {
                tokens.rejected(renewed); // the next call starts again from the API key
                throw ApiVideoErrors.unauthorized(call.operation());
            }
        }
        return reply;
    }

    /** Sends a call that authenticates itself (the {@code /auth} endpoints). */
    Reply anonymous(Call call) {
        return execute(call, null);
    }

    /** The reply when it is a success, the mapped refusal otherwise. */
    Reply expectSuccess(Call call, Reply reply) {
        if (!reply.ok()) {
            throw refused(call, reply);
        }
        return reply;
    }

    DomainException refused(Call call, Reply reply) {
        return ApiVideoErrors.refused(reply, call.operation(), secretsOf(call), json);
    }

    <T> T read(Call call, Reply reply, Class<T> type) {
        try {
            T value = json.readValue(reply.body(), type);
            if (value == null) {
                throw ApiVideoErrors.badResponse(call.operation(), "an empty body");
            }
            return value;
        } catch (JsonProcessingException e) {
            // not chained: Jackson's message may quote the body, and an auth body holds tokens
            throw ApiVideoErrors.badResponse(call.operation(), "not the expected JSON");
        }
    }

    private Reply execute(Call call, Secret bearer) {
        Request request = request(call, bearer);
        RetryPolicy<Reply> policy = call.idempotent() ? retrySafe : retryRateLimitOnly;
        try {
            Reply reply = Failsafe.with(policy).get(() -> exchange(request));
            if (reply.status() < 0) {
                throw ApiVideoErrors.unreachable(call.operation(), reply.body());
            }
            LOG.debug("api.video {} -> {}", call.template(), reply.status());
            return reply;
        } catch (FailsafeException e) {
            throw ApiVideoErrors.unreachable(call.operation(), e.getClass().getSimpleName());
        }
    }

    /**
     * One exchange. A network failure becomes a reply with status -1 and the exception's class name as its body, so
     * that the retry policy sees one kind of thing; the exception's message is dropped (it may quote the URL).
     */
    private Reply exchange(Request request) {
        try (Response response = http.newCall(request).execute()) {
            String body = response.body().string();
            return new Reply(response.code(), body, retryAfter(response));
        } catch (IOException e) {
            LOG.debug("api.video exchange failed: {}", e.getClass().getSimpleName());
            return new Reply(-1, e.getClass().getSimpleName(), Optional.empty());
        }
    }

    private Request request(Call call, Secret bearer) {
        HttpUrl.Builder url = baseUrl.newBuilder();
        for (String segment : call.path()) {
            url.addPathSegment(segment); // encodes: an id can never reach another path
        }
        Request.Builder builder = new Request.Builder().url(url.build())
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT);
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer.reveal());
        }
        RequestBody body = null;
        if (call.body() != null) {
            try {
                body = RequestBody.create(json.writeValueAsBytes(call.body()), JSON);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialise the body of " + call.template());
            }
        }
        return builder.method(call.method(), body).build();
    }

    /** api.video's own {@code X-RateLimit-Retry-After}, else the standard header, both read by the house rule. */
    private Optional<Duration> retryAfter(Response response) {
        String value = response.header("X-RateLimit-Retry-After");
        return RetryAfter.parse(value != null ? value : response.header("Retry-After"), response.header("Date"),
                clock.instant());
    }

    private static RetryPolicy<Reply> retryPolicy(ApiVideoConfig config, boolean idempotent) {
        Duration maxWait = config.maxRetryWait();
        Duration firstBackoff = config.retryBackoff().compareTo(maxWait) < 0 ? config.retryBackoff() : maxWait;
        return RetryPolicy.<Reply>builder()
                // handleIf with both arguments: only what is listed here is retried, never a thrown exception
                .handleIf((reply, failure) -> failure == null && reply != null && retryable(reply, idempotent))
                .abortIf(reply -> reply != null && reply.retryAfter().map(d -> d.compareTo(maxWait) > 0).orElse(false))
                .withMaxRetries(config.maxRetries())
                .withBackoff(firstBackoff, maxWait.compareTo(firstBackoff) > 0 ? maxWait : firstBackoff.plusMillis(1))
                // a negative delay means "use the backoff"
                .withDelayFn(ctx -> ctx.getLastResult() == null ? Duration.ofMillis(-1)
                        : ctx.getLastResult().retryAfter().orElse(Duration.ofMillis(-1)))
                .onRetryScheduled(event -> LOG.warn("api.video answered {}; retry {} in {} ms",
                        event.getLastResult() == null || event.getLastResult().status() < 0
                                ? "with a network failure" : "HTTP " + event.getLastResult().status(),
                        event.getAttemptCount(), event.getDelay().toMillis()))
                .build();
    }

    private static boolean retryable(Reply reply, boolean idempotent) {
        if (reply.status() == 429) {
            return true; // api.video did nothing: repeating even a POST is safe
        }
        return idempotent && (reply.status() < 0 || reply.status() == 502 || reply.status() == 503
                || reply.status() == 504 || reply.status() == 500);
    }

    private List<Secret> secretsOf(Call call) {
        List<Secret> all = new ArrayList<>(call.secrets());
        all.add(apiKey);
        all.addAll(tokens.known());
        return all;
    }
}
