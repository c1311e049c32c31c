package ai.interviewinsights.app.web;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Every request gets an id (the caller's {@code X-Request-Id} when it is sane, else a new one), echoed in the
 * response and put in the logging context with the session and tenant ids once they are known.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "request-id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private RequestIds() {
    }

    public static void assign(Context ctx) {
        String id = saneOrNew(ctx.header(HEADER));
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
        MDC.put("request_id", id);
    }

    /** The caller's id when it is sane, else a new one (for any server of ours: the runner's has no Javalin). */
    public static String saneOrNew(String given) {
        return given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }

    public static String of(Context ctx) {
        Object id = ctx.attribute(ATTRIBUTE);
        return id == null ? null : id.toString();
    }

    public static void clear() {
        MDC.remove("request_id");
        MDC.remove("tenant_id");
        MDC.remove("session_id");
    }
}
