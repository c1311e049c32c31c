package ai.interviewinsights.adapters.flyio;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Redactor;
import ai.interviewinsights.domain.model.Secret;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.event.ExecutionScheduledEvent;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Machines API over HTTP: authentication, retries of what Fly asks us to retry, and the request ids that Fly
 * support needs. Every call comes back as a {@link FlyResponse}, whatever its status, so that the callers decide
 * what a 404 or a 409 means; only a call that never got an answer becomes an exception here.
 *
 * <p>Retries use Failsafe: 429, 5xx (except a capacity shortage, which the caller answers by changing region) and
 * lost connections, with doubling delays and jitter, or the delay of a {@code Retry-After} header. Retrying a
 * {@code POST} that may have reached Fly is safe because every machine has a deterministic name: the retry meets a
 * name conflict, which the provisioner turns into a lookup.
 */
final class FlyHttp {

    private static final Logger LOG = LoggerFactory.getLogger(FlyHttp.class);
    private static final MediaType JSON = MediaType.get("application/json");
    private static final Duration LONG_POLL_MARGIN = Duration.ofSeconds(15);

    private final HttpUrl base;
    private final Redactor redactor;
    private final Secret authorization;
    private final OkHttpClient client;
    private final OkHttpClient longPollClient;
    private final FlyConfig.Retry retry;
    private final Clock clock;
    private final DoubleSupplier random;

    FlyHttp(FlyConfig config, OkHttpClient shared, Clock clock, DoubleSupplier random) {
        this.base = HttpUrl.get(config.baseUrl().toString());
        this.redactor = Redactor.hiding(config.token());
        this.authorization = Secret.of(authorization(config.token()));
        this.retry = config.retry();
        this.clock = clock;
        this.random = random;
        // Our own retries decide what is safe to resend; OkHttp's silent retry of a POST would hide a dropped reply.
        this.client = shared.newBuilder()
                .retryOnConnectionFailure(false)
                .readTimeout(config.callTimeout())
                .build();
        this.longPollClient = client.newBuilder()
                .readTimeout(config.waitChunk().plus(LONG_POLL_MARGIN))
                .build();
    }

    /**
     * The {@code Authorization} value for a token: Fly's macaroon tokens take the {@code FlyV1} scheme (as flyctl
     * sends them), anything else {@code Bearer}; a token pasted with its scheme ({@code FlyV1 fm2_...}, as
     * {@code fly tokens create} prints it) is sent as it is.
     */
    static String authorization(Secret token) {
        String value = token.reveal().strip();
        if (value.startsWith("FlyV1 ") || value.startsWith("Bearer ")) {
            return value;
        }
        if (value.startsWith("fm1r_") || value.startsWith("fm1a_") || value.startsWith("fm2_")) {
            return "FlyV1 " + value;
        }
        return "Bearer " + value;
    }

    /** {@code <base>/v1/<segments...>}, each segment escaped. */
    HttpUrl.Builder url(String... segments) {
        HttpUrl.Builder url = base.newBuilder().addPathSegment("v1");
        for (String segment : segments) {
            url.addPathSegment(segment);
        }
        return url;
    }

    FlyResponse get(HttpUrl url) {
        return send(request(url).get().build(), client);
    }

    /** A {@code GET} that Fly may hold open for up to the configured wait chunk. */
    FlyResponse longPoll(HttpUrl url) {
        return send(request(url).get().build(), longPollClient);
    }

    FlyResponse post(HttpUrl url, Object body) {
        return send(request(url).post(RequestBody.create(FlyJson.write(body), JSON)).build(), client);
    }

    /** A {@code POST} with extra headers (a lease's nonce). */
    FlyResponse post(HttpUrl url, Object body, java.util.Map<String, String> headers) {
        Request.Builder request = request(url).post(RequestBody.create(FlyJson.write(body), JSON));
        headers.forEach(request::header);
        return send(request.build(), client);
    }

    /** A {@code DELETE} with extra headers (a lease's nonce). */
    FlyResponse delete(HttpUrl url, java.util.Map<String, String> headers) {
        Request.Builder request = request(url).delete();
        headers.forEach(request::header);
        return send(request.build(), client);
    }

    FlyResponse delete(HttpUrl url) {
        return send(request(url).delete().build(), client);
    }

    /**
     * One attempt, no retry, and an answer within {@code readTimeout}: for the best-effort calls that have a deadline
     * of their own (a runner's stop before its destroy). {@code body} null: a {@code GET}.
     */
    FlyResponse once(HttpUrl url, Object body, Duration readTimeout) {
        Request request = body == null ? request(url).get().build()
                : request(url).post(RequestBody.create(FlyJson.write(body), JSON)).build();
        String call = request.method() + " " + request.url().encodedPath();
        try {
            FlyResponse response = attempt(request, client.newBuilder().readTimeout(readTimeout).build(), call);
            if (!response.isSuccess()) {
                LOG.debug("Fly {} answered {} {}{}", call, response.status(), response.flyStatus(),
                        response.requestIdSuffix());
            }
            return response;
        } catch (IOException e) {
            String reason = scrub(e.getClass().getSimpleName() + ": " + e.getMessage());
            throw new DomainException(ErrorKind.UNAVAILABLE, "fly.unreachable",
                    "the Fly Machines API did not answer " + call + " (" + reason + ")", true, null);
        }
    }

    private Request.Builder request(HttpUrl url) {
        return new Request.Builder().url(url)
                .header("Authorization", authorization.reveal())
                .header("Accept", "application/json");
    }

    private RetryPolicy<FlyResponse> retryPolicy(String call) {
        return RetryPolicy.<FlyResponse>builder()
                .handle(IOException.class)
                .handleResultIf(r -> r != null && r.isRetryable())
                .abortIf(r -> r != null && r.retryAfter() != null
                        && r.retryAfter().compareTo(retry.maxRetryAfter()) > 0)
                .withMaxAttempts(retry.maxAttempts())
                .withDelayFn(ctx -> delayBefore(ctx.getLastResult(), ctx.getAttemptCount()))
                .onRetryScheduled(event -> logRetry(call, event))
                .build();
    }

    private FlyResponse send(Request request, OkHttpClient via) {
        String call = request.method() + " " + request.url().encodedPath();
        try {
            FlyResponse response = Failsafe.with(retryPolicy(call)).get(() -> attempt(request, via, call));
            if (!response.isSuccess()) {
                LOG.debug("Fly {} answered {} {}{}", call, response.status(), response.flyStatus(),
                        response.requestIdSuffix());
            }
            return response;
        } catch (FailsafeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String reason = scrub(cause.getClass().getSimpleName() + ": " + cause.getMessage());
            LOG.warn("Fly {} got no answer after {} attempt(s): {}", call, retry.maxAttempts(), reason);
            throw new DomainException(ErrorKind.UNAVAILABLE, "fly.unreachable",
                    "the Fly Machines API did not answer " + call + " (" + reason + ")", true, null);
        }
    }

    private FlyResponse attempt(Request request, OkHttpClient via, String call) throws IOException {
        try (Response response = via.newCall(request).execute()) {
            // the whole body is parsed afterwards: only the token comes out here; quoted parts are scrubbed again
            String body = redactor.hideSecrets(response.body().string());
            return new FlyResponse(call, response.code(), body, response.header("fly-request-id"),
                    RetryAfter.parse(response.header("Retry-After"), response.header("Date"), clock.instant())
                            .orElse(null));
        }
    }

    private Duration delayBefore(FlyResponse last, int attempts) {
        if (last != null && last.retryAfter() != null) {
            return last.retryAfter();
        }
        long base = retry.baseDelay().toMillis();
        long doubled = base << Math.min(attempts - 1, 20);
        long capped = Math.min(Math.max(doubled, base), retry.maxDelay().toMillis());
        // "Equal jitter": half the delay fixed, half random, so clients that failed together spread out.
        return Duration.ofMillis(capped / 2 + (long) (random.getAsDouble() * (capped - capped / 2)));
    }

    private void logRetry(String call, ExecutionScheduledEvent<FlyResponse> event) {
        FlyResponse last = event.getLastResult();
        String what = last != null
                ? "answered " + last.status() + (last.flyStatus().isEmpty() ? "" : " " + last.flyStatus())
                + last.requestIdSuffix()
                : "failed (" + scrub(String.valueOf(event.getLastException())) + ")";
        LOG.warn("Fly {} {}; retry {} of {} in {} ms", call, what, event.getAttemptCount(), retry.maxAttempts() - 1,
                event.getDelay().toMillis());
    }

    /** Belt and braces: whatever Fly or a library echoes back, the API token is cut out before anyone sees it. */
    String scrub(String text) {
        return redactor.scrub(text);
    }
}
