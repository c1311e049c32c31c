package ai.interviewinsights.app.controlplane.api;

import ai.interviewinsights.app.web.TooManyRequests;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.port.out.RateLimits;
import java.time.Duration;
import java.util.Optional;

/**
 * Interview starts per tenant: a token bucket of {@code perMinute} starts a minute (bursts of the same size),
 * kept in the shared {@link RateLimits} (the database), so that several control-plane instances behind a load
 * balancer allow together what one would.
 */
public final class RateLimiter {

    private final RateLimits buckets;
    private final int perMinute;

    public RateLimiter(RateLimits buckets, int perMinute) {
        this.buckets = buckets;
        this.perMinute = perMinute;
    }

    /** @throws TooManyRequests {@code rate_limited.sessions} when the tenant's bucket is empty */
    public void acquire(TenantId tenant) {
        take("sessions:" + tenant, perMinute, "rate_limited.sessions", "too many interviews started for this tenant");
    }

    /**
     * Takes one token from {@code key}'s own bucket of {@code perMinute} a minute, shared by every instance on the
     * database (keys of different kinds, e.g. an invite and a client address, never collide: their text differs).
     *
     * @throws TooManyRequests with {@code code} when the bucket is empty
     */
    public void acquire(Object key, int perMinute, String code, String message) {
        take("key:" + key, perMinute, code, message);
    }

    private void take(String bucket, int perMinute, String code, String message) {
        Optional<Duration> wait = buckets.tryAcquire(bucket, perMinute, Duration.ofMinutes(1));
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            throw new TooManyRequests(code, message, seconds);
        }
    }
}
