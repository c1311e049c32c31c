package ai.interviewinsights.app.web;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.sdp.SdpRejectedException;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which problem document a failure is, for every server of ours: the control plane's routes ({@link ErrorResponses},
 * on Javalin) and a runner's ({@code RunnerHttp}, on Jetty's own API). Domain errors by their kind, refused input by
 * its own status and code, anything unexpected a 500 that says nothing about the internals (the log has the details,
 * under the request id the answer carries). Nothing here touches Javalin: a runner loads none of it (ADR 0027).
 */
public final class Failures {

    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    private Failures() {
    }

    /**
     * The answer to {@code failure} on {@code method path}, or empty when there is nobody to answer: the other side
     * closed the connection before the reply (a browser that left mid-upgrade) - one line, not an error with a stack
     * trace, since nothing of ours failed.
     */
    public static java.util.Optional<Problem> problemFor(Throwable failure, String method, String path,
                                                         String requestId) {
        if (failure instanceof SdpRejectedException e) {
            return java.util.Optional.of(domain(e, method, path, requestId)
                    .withViolation(e.violation().line(), e.violation().rule()));
        }
        if (failure instanceof DomainException e) {
            return java.util.Optional.of(domain(e, method, path, requestId));
        }
        if (failure instanceof BadRequest e) {
            return java.util.Optional.of(Problem.of(e.status(), e.code(), title(e.status()), e.getMessage(), path,
                    requestId));
        }
        if (failure instanceof JsonProcessingException e) {
            return java.util.Optional.of(Problem.of(400, "request.malformed_json", "Bad Request",
                    "the body is not valid JSON of the expected shape: " + JsonErrors.describe(e), path, requestId));
        }
        if (peerWentAway(failure)) {
            LOG.info("{} {}: the connection closed before the reply (request {})", method, path, requestId);
            return java.util.Optional.empty();
        }
        LOG.error("unexpected failure on {} {} (request {})", method, path, requestId, failure);
        return java.util.Optional.of(Problem.of(500, "internal", "Internal Server Error",
                "something went wrong on our side; quote the request id when reporting it", path, requestId));
    }

    private static Problem domain(DomainException e, String method, String path, String requestId) {
        int status = status(e.kind());
        if (status >= 500) {
            LOG.warn("{} {} failed: {} ({})", method, path, e.code(), e.getMessage());
        }
        return Problem.of(status, e.code(), title(status), e.getMessage(), path, requestId)
                .withRetryable(e.retryable());
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
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Bad Request";
        };
    }
}
