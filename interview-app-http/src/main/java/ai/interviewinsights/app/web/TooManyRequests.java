package ai.interviewinsights.app.web;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;

/**
 * A rate limit's refusal (429): retryable, and after how long, which the response also says as {@code Retry-After}
 * (RFC 9110), so that a client need not read it out of the message.
 */
public final class TooManyRequests extends DomainException {

    private final long retryAfterSeconds;

    public TooManyRequests(String code, String message, long retryAfterSeconds) {
        super(ErrorKind.RATE_LIMITED, code, message + "; retry in " + retryAfterSeconds + " s", true, null);
        if (retryAfterSeconds < 1) {
            throw new IllegalArgumentException("retry after at least a second");
        }
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
