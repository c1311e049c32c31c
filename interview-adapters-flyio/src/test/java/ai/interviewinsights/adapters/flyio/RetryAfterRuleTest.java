package ai.interviewinsights.adapters.flyio;

import ai.interviewinsights.domain.contract.RetryAfterContract;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** This adapter's copy of the {@code Retry-After} rule, held to the shared vectors (decision 0005). */
class RetryAfterRuleTest extends RetryAfterContract {

    @Override
    protected Optional<Duration> parse(String value, String dateHeader, Instant localNow) {
        return RetryAfter.parse(value, dateHeader, localNow);
    }
}
