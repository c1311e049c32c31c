package ai.interviewinsights.adapters.apivideo;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Redactor;
import ai.interviewinsights.domain.model.Secret;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Turns api.video's refusals into {@link DomainException}s with stable codes. Messages quote api.video's {@code title}
 * and {@code name} (they help whoever reads the log), with every secret of the call scrubbed out first, because a
 * vendor may echo what it was sent.
 *
 * <table>
 *   <caption>codes</caption>
 *   <tr><td>400</td><td>{@code apivideo.bad_request}</td><td>UPSTREAM_FAILED</td></tr>
 *   <tr><td>401, or the auth endpoints refusing the key</td><td>{@code apivideo.unauthorized}</td>
 *       <td>UPSTREAM_FAILED</td></tr>
 *   <tr><td>403</td><td>{@code apivideo.forbidden}</td><td>UPSTREAM_FAILED</td></tr>
 *   <tr><td>404</td><td>{@code apivideo.not_found}</td><td>NOT_FOUND</td></tr>
 *   <tr><td>409</td><td>{@code apivideo.conflict}</td><td>CONFLICT</td></tr>
 *   <tr><td>429</td><td>{@code apivideo.rate_limited}</td><td>UNAVAILABLE, retryable</td></tr>
 *   <tr><td>5xx</td><td>{@code apivideo.unavailable}</td><td>UNAVAILABLE, retryable</td></tr>
 *   <tr><td>network failure, timeout</td><td>{@code apivideo.unreachable}</td><td>UNAVAILABLE, retryable</td></tr>
 *   <tr><td>a 2xx body that is not what the spec says</td><td>{@code apivideo.bad_response}</td>
 *       <td>UPSTREAM_FAILED</td></tr>
 *   <tr><td>anything else</td><td>{@code apivideo.unexpected_status}</td><td>UPSTREAM_FAILED</td></tr>
 * </table>
 */
final class ApiVideoErrors {

    private static final int MAX_MESSAGE = 600;

    private ApiVideoErrors() {
    }

    static DomainException refused(ApiVideoClient.Reply reply, String operation, Collection<Secret> secrets,
                                   ObjectMapper json) {
        int status = reply.status();
        String detail = describe(reply.body(), json);
        String message = "api.video refused to " + operation + " (HTTP " + status + ")"
                + (detail.isEmpty() ? "" : ": " + detail);
        message = scrub(message, secrets);
        if (status == 429) {
            return new DomainException(ErrorKind.UNAVAILABLE, "apivideo.rate_limited",
                    scrub("api.video rate limit reached while trying to " + operation
                            + reply.retryAfter().map(d -> "; it asks to wait " + d.toSeconds() + " s").orElse(""),
                            secrets), true, null);
        }
        if (status >= 500) {
            return new DomainException(ErrorKind.UNAVAILABLE, "apivideo.unavailable", message, true, null);
        }
        return switch (status) {
            case 400 -> new DomainException(ErrorKind.UPSTREAM_FAILED, "apivideo.bad_request", message);
            case 401 -> unauthorized(operation);
            case 403 -> new DomainException(ErrorKind.UPSTREAM_FAILED, "apivideo.forbidden", message);
            case 404 -> DomainException.notFound("apivideo.not_found", message);
            case 409 -> DomainException.conflict("apivideo.conflict", message);
            default -> new DomainException(ErrorKind.UPSTREAM_FAILED, "apivideo.unexpected_status", message);
        };
    }

    static DomainException unauthorized(String operation) {
        return new DomainException(ErrorKind.UPSTREAM_FAILED, "apivideo.unauthorized",
                "api.video did not accept the configured API key (while trying to " + operation
                        + "); check the key and its environment (production or sandbox)");
    }

    /** Network failures: the exception's class says enough; its message may carry the URL, and a URL may carry a token. */
    static DomainException unreachable(String operation, String failureClass) {
        return new DomainException(ErrorKind.UNAVAILABLE, "apivideo.unreachable",
                "api.video could not be reached to " + operation + " (" + failureClass + ")", true, null);
    }

    static DomainException badResponse(String operation, String what) {
        return new DomainException(ErrorKind.UPSTREAM_FAILED, "apivideo.bad_response",
                "api.video answered " + operation + " with an unexpected body: " + what);
    }

    /** {@code title (name: x; problems: ...)} from an error body, or the empty string when the body is not one. */
    private static String describe(String body, ObjectMapper json) {
        if (body == null || body.isBlank()) {
            return "";
        }
        Wire.ProblemJson problem;
        try {
            problem = json.readValue(body, Wire.ProblemJson.class);
        } catch (Exception notAProblem) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        if (problem.title() != null && !problem.title().isBlank()) {
            parts.add(problem.title().strip());
        }
        if (problem.name() != null && !problem.name().isBlank()) {
            parts.add("parameter " + problem.name().strip());
        }
        if (problem.problems() != null) {
            for (Wire.ProblemJson more : problem.problems()) {
                if (more != null && more.title() != null) {
                    parts.add(more.title().strip() + (more.name() == null || more.name().isBlank()
                            ? "" : " (" + more.name().strip() + ")"));
                }
            }
        }
        return String.join("; ", parts);
    }

    static String scrub(String text, Collection<Secret> secrets) {
        return Redactor.hiding().andSecrets(secrets).cutAt(MAX_MESSAGE).scrub(text);
    }
}
