package ai.interviewinsights.app.web;

import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Every request gets an id (the caller's {@code X-Request-Id} when it is sane, else a new one), echoed in the
 * response and put in the logging context with the session and tenant ids once they are known. Free of Javalin: the
 * runners' server uses it too, and a runner carries no Javalin (ADR 0027); the control plane's requests get theirs
 * through {@link JavalinRequestIds}.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private RequestIds() {
    }

    /** The caller's id when it is sane, else a new one (for any server of ours: the runner's has no Javalin). */
    public static String saneOrNew(String given) {
        return given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }

    public static void clear() {
        MDC.remove("request_id");
        MDC.remove("tenant_id");
        MDC.remove("session_id");
    }
}
