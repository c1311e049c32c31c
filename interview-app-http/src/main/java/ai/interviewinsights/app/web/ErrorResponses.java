package ai.interviewinsights.app.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;

/**
 * Turns every failure on the control plane's routes into a problem document with a stable code ({@link Failures}
 * decides which, for a runner's server too), and answers unknown routes and methods the same way.
 */
public final class ErrorResponses {

    private final ObjectMapper json;

    public ErrorResponses(ObjectMapper json) {
        this.json = json;
    }

    public void install(JavalinConfig config) {
        config.routes.exception(HttpResponseException.class, (e, ctx) -> send(ctx, Problem.of(e.getStatus(),
                codeFor(e.getStatus()), Failures.title(e.getStatus()), e.getMessage(), ctx.path(),
                JavalinRequestIds.of(ctx))));
        config.routes.exception(Exception.class, (e, ctx) -> Failures.problemFor(e, ctx.method().name(), ctx.path(),
                JavalinRequestIds.of(ctx)).ifPresent(problem -> {
                    if (e instanceof TooManyRequests limited) {
                        ctx.header("Retry-After", Long.toString(limited.retryAfterSeconds()));
                    }
                    send(ctx, problem);
                }));
        config.routes.error(404, ctx -> {
            if (!ctx.res().isCommitted() && (ctx.result() == null || ctx.result().isEmpty()
                    || !ctx.res().getContentType().startsWith(Problem.CONTENT_TYPE))) {
                send(ctx, Problem.of(404, "route.not_found", "Not Found", "no such endpoint: " + ctx.method() + " "
                        + ctx.path(), ctx.path(), JavalinRequestIds.of(ctx)));
            }
        });
        config.routes.error(405, ctx -> send(ctx, Problem.of(405, "route.method_not_allowed", "Method Not Allowed",
                ctx.method() + " is not supported on " + ctx.path(), ctx.path(), JavalinRequestIds.of(ctx))));
    }

    public void send(Context ctx, Problem problem) {
        try {
            ctx.status(problem.status()).contentType(Problem.CONTENT_TYPE).result(json.writeValueAsString(problem));
        } catch (JsonProcessingException impossible) {
            ctx.status(500).result("{\"code\":\"internal\"}");
        }
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
}
