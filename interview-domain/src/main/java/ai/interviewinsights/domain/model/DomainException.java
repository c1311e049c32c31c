package ai.interviewinsights.domain.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one exception type the domain throws for a business outcome. It always carries its reason: a
 * {@link ErrorKind}, a stable machine-readable {@code code} (for example {@code session.illegal_transition}) and a
 * message written for the person who can fix the problem. Messages never contain secrets, SQL or stack details.
 *
 * <p>Unchecked on purpose: embedders call use cases from their own code and decide where to translate
 * failures; the {@code @throws} clauses on the use cases document which codes each one can produce.
 */
public class DomainException extends RuntimeException {

    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

    private final ErrorKind kind;
    private final String code;
    private final boolean retryable;

    public DomainException(ErrorKind kind, String code, String message) {
        this(kind, code, message, false, null);
    }

    public DomainException(ErrorKind kind, String code, String message, boolean retryable, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        if (code == null || !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("error code must be dotted snake_case, was: " + code);
        }
        this.code = code;
        this.retryable = retryable;
    }

    public static DomainException invalid(String code, String message) {
        return new DomainException(ErrorKind.INVALID_INPUT, code, message);
    }

    public static DomainException notFound(String code, String message) {
        return new DomainException(ErrorKind.NOT_FOUND, code, message);
    }

    public static DomainException forbidden(String code, String message) {
        return new DomainException(ErrorKind.FORBIDDEN, code, message);
    }

    public static DomainException conflict(String code, String message) {
        return new DomainException(ErrorKind.CONFLICT, code, message);
    }

    public static DomainException gone(String code, String message) {
        return new DomainException(ErrorKind.GONE, code, message);
    }

    public static DomainException unavailable(String code, String message) {
        return new DomainException(ErrorKind.UNAVAILABLE, code, message, true, null);
    }

    public ErrorKind kind() {
        return kind;
    }

    /** Stable, documented reason code; clients may switch on it. */
    public String code() {
        return code;
    }

    /** Whether the same call may succeed if retried later without changes. */
    public boolean retryable() {
        return retryable;
    }

    /**
     * How a failure is written to a log: a domain failure by its code and message, anything else by its type only
     * (a foreign exception's message may carry a secret or a provider's body).
     */
    public static String describe(RuntimeException e) {
        return e instanceof DomainException d ? d.code() + " (" + d.getMessage() + ")" : e.getClass().getSimpleName();
    }
}
