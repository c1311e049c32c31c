package ai.interviewinsights.adapters.openai;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Secret;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one request to OpenAI with the server's key and the retry policy: exponential backoff with jitter on 429,
 * 500, 502, 503, 504 and transport failures, honouring the wait OpenAI asks for ({@link ServerDelay}), never retrying
 * other 4xx. A call may be given a total budget (the SDP relay: an offer goes stale); then no retry starts that could
 * not finish inside it, and each attempt's timeout shrinks to what is left.
 *
 * <p>Retries are Failsafe's {@link RetryPolicy}: backoff, jitter, computed delays, a maximum duration and abort
 * conditions are all there, so this class only says which replies count as failures.
 */
final class OpenAiHttp {

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiHttp.class);
    private static final Duration USE_BACKOFF = Duration.ofNanos(-1);

    private final OkHttpClient client;
    private final HttpUrl base;
    private final Secret apiKey;
    private final OpenAiConfig.Retry retry;
    private final Duration callTimeout;
    private final OpenAiErrors errors;
    private final Clock clock;

    OpenAiHttp(OkHttpClient client, HttpUrl base, Secret apiKey, OpenAiConfig.Retry retry, Duration callTimeout,
               OpenAiErrors errors, Clock clock) {
        this.client = client;
        this.base = base;
        this.apiKey = apiKey;
        this.retry = retry;
        this.callTimeout = callTimeout;
        this.errors = errors;
        this.clock = clock;
    }

    /**
     * The same sender (the same HTTP client, retry policy and code) toward another base with another credential: the
     * relay's rehearsal on loopback ({@link RelayRehearsal}), so it runs this code without ever holding the key.
     * Never through a proxy: the rehearsal's listener is in this process.
     */
    OpenAiHttp toward(HttpUrl otherBase, Secret otherCredential) {
        return new OpenAiHttp(client.newBuilder().proxy(java.net.Proxy.NO_PROXY).build(), otherBase, otherCredential,
                retry, callTimeout, errors, clock);
    }

    /** {@code base + /v1/<segments>}; segments are encoded, so an id can never change the path. */
    HttpUrl url(String... segments) {
        HttpUrl.Builder url = base.newBuilder().addPathSegment("v1");
        for (String segment : segments) {
            url.addPathSegment(segment);
        }
        return url.build();
    }

    /** A request carrying the server's key. No {@code OpenAI-Beta} header: the beta shape is shut down. */
    Request.Builder authorised(HttpUrl url) {
        return new Request.Builder().url(url).header("Authorization", "Bearer " + apiKey.reveal());
    }

    OpenAiErrors errors() {
        return errors;
    }

    /**
     * Opens (and pools) the connection to the endpoint with one request that carries no key and changes nothing
     * ({@code GET} of the API root, its short answer read to the end so the connection can be reused); whatever it
     * answers is ignored. Loads the HTTP/TLS stack on the way. (Not {@code HEAD}: a server that answers a HEAD with a
     * body would leave the pooled connection unusable for the relay that follows.)
     */
    void preconnect(Duration budget) {
        // Bounded by socket timeouts, not a call timeout: that would start Okio's watchdog thread in an idle runner.
        OkHttpClient probe = client.newBuilder().callTimeout(Duration.ZERO).connectTimeout(budget).readTimeout(budget)
                .writeTimeout(budget).build();
        okhttp3.Call call = probe.newCall(new Request.Builder().url(url()).get().build());
        try (okhttp3.Response response = call.execute()) {
            response.body().string(); // a short error document; read whole so the connection is reusable
            // the status does not matter: the connection is open and kept in the pool
        } catch (java.io.IOException | RuntimeException e) {
            // best effort: the first offer opens it then
        }
    }

    /** Sends with retries; returns the final reply, whatever its status. */
    HttpReply send(String operation, Request request) {
        return send(operation, request, null);
    }

    /**
     * Sends with retries inside a total budget; returns the final reply, whatever its status.
     *
     * @throws DomainException {@code openai.timeout} or {@code openai.unavailable} when no reply came at all
     */
    HttpReply send(String operation, Request request, Duration budget) {
        long started = System.nanoTime();
        long deadline = budget == null ? 0 : started + budget.toNanos();
        AtomicReference<HttpReply> lastReply = new AtomicReference<>();
        try {
            Attempt outcome = executor(operation, budget).get(() -> {
                HttpReply attempted = attempt(request, deadline);
                lastReply.set(attempted);
                // OpenAI's asked-for wait that is too long, or would not fit the budget, ends the retries here.
                return new Attempt(attempted, !waitFits(attempted, started, budget));
            });
            HttpReply reply = outcome.reply();
            LOG.debug("OpenAI {}: {} {} -> {} (request id {})", operation, request.method(), request.url().encodedPath(),
                    reply.code(), reply.requestId());
            return reply;
        } catch (BudgetSpent e) {
            HttpReply last = lastReply.get();
            if (last != null) {
                LOG.info("OpenAI {}: the {} ms budget is spent; the last answer stands", operation, budget.toMillis());
                return last;
            }
            throw new DomainException(ErrorKind.UNAVAILABLE, "openai.timeout", "OpenAI did not answer the " + operation
                    + " request within its " + budget.toMillis() + " ms budget", true, null);
        } catch (FailsafeException e) {
            Throwable cause = e.getCause();
            HttpReply last = lastReply.get();
            if (cause instanceof IOException && deadline != 0 && last != null && System.nanoTime() >= deadline) {
                // The last attempt was cut short by the budget, not by OpenAI: the last real answer says more.
                LOG.info("OpenAI {}: the {} ms budget is spent; the last answer stands", operation, budget.toMillis());
                return last;
            }
            if (cause instanceof IOException io) {
                LOG.warn("OpenAI {}: no reply ({})", operation, cause.getClass().getSimpleName());
                throw errors.fromTransport(operation, io);
            }
            if (cause instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new DomainException(ErrorKind.UNAVAILABLE, "openai.interrupted", "the " + operation
                        + " request was interrupted", true, null);
            }
            throw e;
        }
    }

    /**
     * One attempt's reply, and whether it ends the retries whatever its status (OpenAI asked for a wait we do not
     * make). Carried through Failsafe so that one policy serves every request of an operation.
     */
    private record Attempt(HttpReply reply, boolean last) {
    }

    /** The operation's retry policy and executor: what differs between requests is in the attempt, not in here. */
    private record Policy(String operation, Duration budget) {
    }

    /**
     * Built once per operation and budget (a handful per process) instead of per request: a runner's first offers
     * run interpreted, where building a policy was a noticeable part of the relay's own work (decision 25, amended).
     * Policies and executors are immutable and thread-safe; an execution's state lives in the execution.
     */
    private final ConcurrentHashMap<Policy, FailsafeExecutor<Attempt>> executors = new ConcurrentHashMap<>();

    private FailsafeExecutor<Attempt> executor(String operation, Duration budget) {
        return executors.computeIfAbsent(new Policy(operation, budget), key -> Failsafe.with(policy(key)));
    }

    private RetryPolicy<Attempt> policy(Policy key) {
        RetryPolicyBuilder<Attempt> policy = RetryPolicy.<Attempt>builder()
                .handleIf((Attempt attempt, Throwable failure) -> failure != null ? isRetryable(failure)
                        : !attempt.last() && isRetryable(attempt.reply()))
                // A negative computed delay tells Failsafe to fall back to the backoff.
                .withDelayFn(context -> ServerDelay.of(replyOf(context.getLastResult())).map(this::atLeastAfterJitter)
                        .orElse(USE_BACKOFF))
                .withMaxAttempts(retry.maxAttempts())
                .onRetryScheduled(event -> LOG.info("OpenAI {}: attempt {} failed ({}); retrying in {} ms",
                        key.operation(), event.getAttemptCount(), describe(event.getLastResult(),
                                event.getLastException()), event.getDelay().toMillis()));
        if (retry.maxBackoff().compareTo(retry.initialBackoff()) > 0) {
            policy.withBackoff(retry.initialBackoff(), retry.maxBackoff());
        } else {
            policy.withDelay(retry.initialBackoff());
        }
        if (retry.jitter() > 0) {
            policy.withJitter(retry.jitter());
        }
        if (key.budget() != null) {
            policy.withMaxDuration(key.budget());
        }
        return policy.build();
    }

    private HttpReply attempt(Request request, long deadline) throws IOException {
        Call call = client.newCall(request);
        if (deadline != 0) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new BudgetSpent();
            }
            call.timeout().timeout(Math.min(remaining, callTimeout.toNanos()), TimeUnit.NANOSECONDS);
        }
        try (Response response = call.execute()) {
            return new HttpReply(response.code(), response.headers(), response.body().string(), clock.instant());
        }
    }

    private boolean isRetryable(Throwable failure) {
        return failure instanceof IOException && !Thread.currentThread().isInterrupted();
    }

    private boolean isRetryable(HttpReply reply) {
        return switch (reply.code()) {
            case 429 -> !errors.isQuotaExhausted(reply);
            case 500, 502, 503, 504 -> true;
            default -> false;
        };
    }

    /** Whether waiting as long as OpenAI asked is reasonable, and still fits the budget. */
    private boolean waitFits(HttpReply reply, long started, Duration budget) {
        Optional<Duration> asked = ServerDelay.of(reply);
        if (asked.isEmpty()) {
            return true;
        }
        if (asked.get().compareTo(retry.maxRetryAfter()) > 0) {
            LOG.info("OpenAI asked to wait {} ms, longer than the {} ms we wait; giving up", asked.get().toMillis(),
                    retry.maxRetryAfter().toMillis());
            return false;
        }
        return budget == null || System.nanoTime() - started + asked.get().toNanos() < budget.toNanos();
    }

    /**
     * Failsafe applies jitter to computed delays too, which could shorten OpenAI's {@code Retry-After}; stretching it
     * by the jitter factor first keeps every wait at least as long as OpenAI asked.
     */
    private Duration atLeastAfterJitter(Duration asked) {
        return retry.jitter() > 0 ? Duration.ofNanos((long) Math.ceil(asked.toNanos() / (1 - retry.jitter()))) : asked;
    }

    /** The attempt's reply, or null when the attempt failed without one. */
    private static HttpReply replyOf(Attempt attempt) {
        return attempt == null ? null : attempt.reply();
    }

    private static String describe(Attempt attempt, Throwable failure) {
        if (failure != null) {
            return failure.getClass().getSimpleName();
        }
        return attempt == null ? "no reply" : "status " + attempt.reply().code() + ", request id "
                + attempt.reply().requestId();
    }

    /** The total budget ran out before another attempt could start; not a failure Failsafe retries. */
    private static final class BudgetSpent extends RuntimeException {
        BudgetSpent() {
            super("budget spent", null, false, false);
        }
    }
}
