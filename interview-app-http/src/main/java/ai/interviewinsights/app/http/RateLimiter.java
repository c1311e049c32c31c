package ai.interviewinsights.app.http;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.identity.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per tenant, refilled continuously: {@code perMinute} session starts a minute with bursts of the
 * same size. Per instance: behind a load balancer each instance allows its share, which bounds cost and abuse
 * without a shared store (the runner provisioner's own quotas are the hard limit).
 */
public final class RateLimiter {

    private final Clock clock;
    private final double perNano;
    private final double capacity;
    private static final int MAX_KEYS = 100_000;
    private final ConcurrentHashMap<Object, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long lastNanos;
    }

    public RateLimiter(int perMinute, Clock clock) {
        this.clock = clock;
        this.capacity = perMinute;
        this.perNano = perMinute / (double) Duration.ofMinutes(1).toNanos();
    }

    /** @throws DomainException RATE_LIMITED {@code rate_limited.sessions} when the tenant's bucket is empty */
    public void acquire(TenantId tenant) {
        acquire(tenant, capacity, perNano, "rate_limited.sessions", "too many interviews started for this tenant");
    }

    /**
     * Takes one token from {@code key}'s own bucket of {@code perMinute} a minute (keys of different kinds, e.g. an
     * invite and a client address, never collide: they are different objects).
     *
     * @throws DomainException RATE_LIMITED with {@code code} when the bucket is empty
     */
    public void acquire(Object key, int perMinute, String code, String message) {
        acquire(key, perMinute, perMinute / (double) Duration.ofMinutes(1).toNanos(), code, message);
    }

    private void acquire(Object key, double capacity, double perNano, String code, String message) {
        long now = clock.instant().toEpochMilli() * 1_000_000L;
        if (buckets.size() > MAX_KEYS) {
            buckets.clear(); // a flood of distinct keys must not exhaust memory; every bucket starts full again
        }
        Bucket bucket = buckets.computeIfAbsent(key, t -> {
            Bucket b = new Bucket();
            b.tokens = capacity;
            b.lastNanos = now;
            return b;
        });
        synchronized (bucket) {
            bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.lastNanos) * perNano);
            bucket.lastNanos = now;
            if (bucket.tokens < 1) {
                long waitSeconds = (long) Math.ceil((1 - bucket.tokens) / perNano / 1e9);
                throw new DomainException(ErrorKind.RATE_LIMITED, code, message + "; retry in " + waitSeconds + " s");
            }
            bucket.tokens -= 1;
        }
    }
}
