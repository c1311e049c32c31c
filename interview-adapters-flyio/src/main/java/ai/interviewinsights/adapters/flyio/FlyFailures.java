package ai.interviewinsights.adapters.flyio;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Redactor;
import ai.interviewinsights.domain.model.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a Fly answer nobody expected into the domain's error, with a stable code and Fly's request id, and logs
 * it. Retryable ({@code UNAVAILABLE}) when waiting may help — rate limits, Fly's own failures, capacity — and
 * {@code UPSTREAM_FAILED} when Fly refused the request itself.
 */
final class FlyFailures {

    private static final Logger LOG = LoggerFactory.getLogger(FlyFailures.class);

    private FlyFailures() {
    }

    /**
     * @param doing what we were doing, for the message ("creating machine X in app Y")
     * @param hide  secrets that were in the request and must not come back in Fly's error text
     */
    static DomainException unexpected(FlyResponse response, String doing, Secret... hide) {
        String detail = redact(response.errorText(), hide);
        String flyStatus = response.flyStatus().isEmpty() ? "" : " [" + response.flyStatus() + "]";
        LOG.warn("Fly {} failed while {}: HTTP {}{} {}{}", response.call(), doing, response.status(), flyStatus,
                detail, response.requestIdSuffix());
        String suffix = (detail.isEmpty() ? "" : ": " + detail) + response.requestIdSuffix();
        int status = response.status();
        if (status == 429) {
            return retryable("fly.rate_limited", "Fly rate-limited " + doing + " and retries ran out" + suffix);
        }
        if (response.isCapacityShortage()) {
            return retryable("fly.insufficient_capacity", "Fly has no capacity for " + doing + suffix);
        }
        if (status >= 500) {
            return retryable("fly.unavailable", "Fly failed " + doing + " (HTTP " + status + ")" + suffix);
        }
        if (status == 408) {
            return retryable("fly.timeout", "Fly timed out " + doing + suffix);
        }
        if (status == 401) {
            return refused("fly.unauthorized", "Fly did not accept the API token while " + doing
                    + "; check the configured token" + response.requestIdSuffix());
        }
        if (status == 403) {
            return refused("fly.forbidden", "the Fly API token may not do this: " + doing + suffix);
        }
        if (status == 404) {
            return refused("fly.not_found", "Fly does not know what we asked for while " + doing + suffix);
        }
        return refused("fly.rejected", "Fly refused " + doing + " (HTTP " + status + ")" + suffix);
    }

    static DomainException retryable(String code, String message) {
        return new DomainException(ErrorKind.UNAVAILABLE, code, message, true, null);
    }

    static DomainException refused(String code, String message) {
        return new DomainException(ErrorKind.UPSTREAM_FAILED, code, message, false, null);
    }

    static String redact(String text, Secret... hide) {
        return Redactor.hiding(hide).scrub(text);
    }
}
