package ai.interviewinsights.app.web;

import io.javalin.http.Context;
import org.slf4j.MDC;

/** {@link RequestIds} on the control plane's Javalin requests: assigned before the handler, read by the error pages. */
public final class JavalinRequestIds {

    private static final String ATTRIBUTE = "request-id";

    private JavalinRequestIds() {
    }

    /** Gives the request its id: echoed in the response and put in the logging context. */
    public static void assign(Context ctx) {
        String id = RequestIds.saneOrNew(ctx.header(RequestIds.HEADER));
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(RequestIds.HEADER, id);
        MDC.put("request_id", id);
    }

    /** The request's id, or null before {@link #assign}. */
    public static String of(Context ctx) {
        Object id = ctx.attribute(ATTRIBUTE);
        return id == null ? null : id.toString();
    }
}
