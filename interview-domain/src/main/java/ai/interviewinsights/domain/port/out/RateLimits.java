package ai.interviewinsights.domain.port.out;

import java.time.Duration;
import java.util.Optional;

/**
 * Token buckets shared by every control-plane instance: {@code capacity} takes per {@code period}, refilled
 * continuously, bursts up to {@code capacity}. A bucket is named by its key, e.g. {@code sessions:<tenant>} or
 * {@code redeem:invite:<id>}: one mechanism for every limit, so that two instances behind a load balancer allow
 * together what one would.
 */
public interface RateLimits {

    /**
     * Takes one token from the bucket.
     *
     * @return empty when taken; otherwise how long until a token is back (nothing was taken)
     */
    Optional<Duration> tryAcquire(String key, int capacity, Duration period);
}
