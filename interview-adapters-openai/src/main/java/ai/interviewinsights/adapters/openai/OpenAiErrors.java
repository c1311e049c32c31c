package ai.interviewinsights.adapters.openai;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Turns OpenAI's failures into the domain's {@link DomainException}s with stable {@code openai.*} codes. OpenAI's own
 * code and message travel along (scrubbed of anything key-shaped); a rejected key is described in our words only,
 * because OpenAI's message quotes part of it.
 *
 * <table>
 *   <caption>Codes</caption>
 *   <tr><td>400, 422</td><td>{@code openai.bad_request}</td><td>UPSTREAM_FAILED</td></tr>
 *   <tr><td>401</td><td>{@code openai.unauthorized}</td><td>UPSTREAM_FAILED</td></tr>
 *   <tr><td>403</td><td>{@code openai.forbidden}</td><td>UPSTREAM_FAILED</td></tr>
 *   <tr><td>404</td><td>{@code openai.not_found}</td><td>UPSTREAM_FAILED</td></tr>
 *   <tr><td>429 {@code insufficient_quota}</td><td>{@code openai.quota_exceeded}</td><td>UPSTREAM_FAILED</td></tr>
 *   <tr><td>429</td><td>{@code openai.rate_limited}</td><td>UNAVAILABLE, retryable</td></tr>
 *   <tr><td>500, 502, 503, 504</td><td>{@code openai.unavailable}</td><td>UNAVAILABLE, retryable</td></tr>
 *   <tr><td>timeouts</td><td>{@code openai.timeout}</td><td>UNAVAILABLE, retryable</td></tr>
 *   <tr><td>connection failures</td><td>{@code openai.unavailable}</td><td>UNAVAILABLE, retryable</td></tr>
 *   <tr><td>other statuses</td><td>{@code openai.unexpected_status}</td><td>UPSTREAM_FAILED</td></tr>
 * </table>
 */
final class OpenAiErrors {

    private final ObjectMapper json;
    private final Redaction redaction;

    OpenAiErrors(ObjectMapper json, Redaction redaction) {
        this.json = json;
        this.redaction = redaction;
    }

    /** For other text from OpenAI (a model's answer) that goes into a message. */
    String scrub(String text) {
        return redaction.scrub(text);
    }

    /** OpenAI's {@code {"error": {...}}} fields, empty strings where absent. */
    record ErrorBody(String type, String code, String message, String param) {
        boolean allEmpty() {
            return type.isEmpty() && code.isEmpty() && message.isEmpty() && param.isEmpty();
        }
    }

    ErrorBody errorBody(HttpReply reply) {
        try {
            JsonNode error = json.readTree(reply.body()).path("error");
            if (error.isObject()) {
                return new ErrorBody(text(error, "type"), text(error, "code"), text(error, "message"),
                        text(error, "param"));
            }
        } catch (IOException | RuntimeException notJson) {
            // a proxy's HTML page, an empty body: nothing to carry
        }
        return new ErrorBody("", "", "", "");
    }

    /** Whether this reply says the account is out of credit: a 429 that no retry will fix. */
    boolean isQuotaExhausted(HttpReply reply) {
        return reply.code() == 429 && "insufficient_quota".equals(errorBody(reply).code());
    }

    /** The exception for a reply that is not what the operation expects. */
    DomainException fromReply(String operation, HttpReply reply) {
        ErrorBody error = errorBody(reply);
        String said = describe(error);
        String ids = " (request id " + reply.requestId() + ")";
        int status = reply.code();
        if (status == 400 || status == 422) {
            if (error.allEmpty()) {
                return failed("openai.bad_request", "OpenAI rejected the " + operation + " request with " + status
                        + " but left every error field empty; it does this when it cannot parse the request (for"
                        + " the SDP relay: a malformed multipart body, offer or session object)" + ids);
            }
            return failed("openai.bad_request", "OpenAI rejected the " + operation + " request (" + status + said + ")"
                    + ids);
        }
        if (status == 401) {
            String code = error.code().isEmpty() ? "" : ", code " + redaction.scrub(error.code());
            return failed("openai.unauthorized", "OpenAI rejected the API key (401" + code
                    + "); check the configured key and its project" + ids);
        }
        if (status == 403) {
            return failed("openai.forbidden", "OpenAI refused the " + operation + " request (403" + said + ")" + ids);
        }
        if (status == 404) {
            return failed("openai.not_found", "OpenAI does not know what the " + operation + " request addresses (404"
                    + said + ")" + ids);
        }
        if (status == 429) {
            if ("insufficient_quota".equals(error.code())) {
                return failed("openai.quota_exceeded", "OpenAI's quota for this key is used up (429 insufficient_quota);"
                        + " retrying will not help until billing is fixed" + ids);
            }
            String wait = ServerDelay.of(reply).map(d -> "; it asked to wait " + seconds(d)).orElse("");
            return unavailable("openai.rate_limited", "OpenAI is rate limiting the " + operation + " requests (429"
                    + said + wait + ")" + ids);
        }
        if (status == 500 || status == 502 || status == 503 || status == 504) {
            return unavailable("openai.unavailable", "OpenAI could not serve the " + operation + " request (" + status
                    + said + ")" + ids);
        }
        return failed("openai.unexpected_status", "OpenAI answered the " + operation + " request with an unexpected "
                + status + said + ids);
    }

    /** The exception for a call that never got a reply. */
    DomainException fromTransport(String operation, IOException failure) {
        if (isTimeout(failure)) {
            return unavailable("openai.timeout", "OpenAI did not answer the " + operation
                    + " request in time (" + failure.getClass().getSimpleName() + ")");
        }
        return unavailable("openai.unavailable", "could not reach OpenAI for the "
                + operation + " request (" + failure.getClass().getSimpleName() + ": "
                + redaction.scrub(failure.getMessage()) + ")");
    }

    /** A 2xx reply whose content is not what OpenAI documents. */
    DomainException malformed(String code, String message) {
        return failed(code, message);
    }

    static boolean isTimeout(IOException failure) {
        return failure instanceof SocketTimeoutException
                || failure instanceof InterruptedIOException && "timeout".equals(failure.getMessage());
    }

    private String describe(ErrorBody error) {
        StringBuilder out = new StringBuilder();
        if (!error.code().isEmpty()) {
            out.append(", code ").append(redaction.scrub(error.code()));
        } else if (!error.type().isEmpty()) {
            out.append(", type ").append(redaction.scrub(error.type()));
        }
        if (!error.message().isEmpty()) {
            out.append(": ").append(redaction.scrub(error.message()));
        }
        return out.toString();
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    // Every message is scrubbed whole on its way out: parts come from OpenAI's reply (its request id, a reason).
    private DomainException failed(String code, String message) {
        return new DomainException(ErrorKind.UPSTREAM_FAILED, code, redaction.redactSecrets(message));
    }

    private DomainException unavailable(String code, String message) {
        return new DomainException(ErrorKind.UNAVAILABLE, code, redaction.redactSecrets(message), true, null);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText("") : "";
    }
}
