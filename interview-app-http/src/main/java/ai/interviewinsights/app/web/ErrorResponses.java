package ai.interviewinsights.app.web;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.sdp.SdpRejectedException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into a problem document with a stable code: domain errors by their kind, malformed input as
 * 400, and anything unexpected as a 500 that says nothing about the internals (the log has the details, under the
 * request id the response carries).
 */
public final class ErrorResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private final ObjectMapper json;

    public ErrorResponses(ObjectMapper json) {
        this.json = json;
    }

    public void install(JavalinConfig config) {
        config.routes.exception(SdpRejectedException.class, (e, ctx) -> send(ctx, problem(ctx, e)
                .withViolation(e.violation().line(), e.violation().rule())));
        config.routes.exception(DomainException.class, (e, ctx) -> send(ctx, problem(ctx, e)));
        config.routes.exception(BadRequest.class, (e, ctx) -> send(ctx, Problem.of(e.status(), e.code(),
                title(e.status()), e.getMessage(), ctx.path(), RequestIds.of(ctx))));
        config.routes.exception(JsonProcessingException.class, (e, ctx) -> send(ctx, Problem.of(400,
                "request.malformed_json", "Bad Request", "the body is not valid JSON of the expected shape: "
                        + JsonErrors.describe(e), ctx.path(), RequestIds.of(ctx))));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> send(ctx, Problem.of(e.getStatus(),
                codeFor(e.getStatus()), title(e.getStatus()), e.getMessage(), ctx.path(), RequestIds.of(ctx))));
        config.routes.exception(Exception.class, (e, ctx) -> {
            if (peerWentAway(e)) {
                // The other side closed the connection before the reply (a browser that left mid-upgrade): nobody
                // to answer, nothing of ours failed - one line, not an error with a stack trace.
                LOG.info("{} {}: the connection closed before the reply (request {})", ctx.method(), ctx.path(),
                        RequestIds.of(ctx));
                return;
            }
            LOG.error("unexpected failure on {} {} (request {})", ctx.method(), ctx.path(), RequestIds.of(ctx), e);
            send(ctx, Problem.of(500, "internal", "Internal Server Error",
                    "something went wrong on our side; quote the request id when reporting it", ctx.path(),
                    RequestIds.of(ctx)));
        });
        config.routes.error(404, ctx -> {
            if (!ctx.res().isCommitted() && (ctx.result() == null || ctx.result().isEmpty()
                    || !ctx.res().getContentType().startsWith(Problem.CONTENT_TYPE))) {
                send(ctx, Problem.of(404, "route.not_found", "Not Found", "no such endpoint: " + ctx.method() + " "
                        + ctx.path(), ctx.path(), RequestIds.of(ctx)));
            }
        });
        config.routes.error(405, ctx -> send(ctx, Problem.of(405, "route.method_not_allowed", "Method Not Allowed",
                ctx.method() + " is not supported on " + ctx.path(), ctx.path(), RequestIds.of(ctx))));
    }

    /** Whether {@code e} is Jetty saying the connection is gone (end of stream), however deep in the causes. */
    static boolean peerWentAway(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.eclipse.jetty.io.EofException) {
                return true;
            }
        }
        return false;
    }

    private Problem problem(Context ctx, DomainException e) {
        int status = status(e.kind());
        if (status >= 500) {
            LOG.warn("{} {} failed: {} ({})", ctx.method(), ctx.path(), e.code(), e.getMessage());
        }
        return Problem.of(status, e.code(), title(status), e.getMessage(), ctx.path(), RequestIds.of(ctx))
                .withRetryable(e.retryable());
    }

    public void send(Context ctx, Problem problem) {
        try {
            ctx.status(problem.status()).contentType(Problem.CONTENT_TYPE).result(json.writeValueAsString(problem));
        } catch (JsonProcessingException impossible) {
            ctx.status(500).result("{\"code\":\"internal\"}");
        }
    }

    public static int status(ErrorKind kind) {
        return switch (kind) {
            case INVALID_INPUT -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case GONE -> 410;
            case RATE_LIMITED -> 429;
            case UNAVAILABLE -> 503;
            case UPSTREAM_FAILED -> 502;
        };
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "request.invalid";
            case 401 -> "auth.missing";
            case 403 -> "forbidden";
            case 404 -> "route.not_found";
            case 413 -> "request.too_large";
            case 415 -> "request.unsupported_media_type";
            default -> status >= 500 ? "internal" : "request.invalid";
        };
    }

    public static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Bad Request";
        };
    }
}
