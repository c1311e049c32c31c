package ai.interviewinsights.adapters.flyio;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Our side of Fly's Machines API rate limits (about 1 request/s per action per app, bursts of 3): a token bucket per
 * app and action, so that background work (the standby pools' refills) never spends the budget that a session's
 * start needs, and backs off for as long as Fly asks when it answers 429 anyway. Claims do not go through it: they
 * act on distinct machines, whose limits are their own.
 */
final class FlyRateLimit {

    private final double perSecond;
    private final int burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new HashMap<>();

    private static final class Bucket {
        double tokens;
        long updated;
        long blockedUntil;
    }

    FlyRateLimit(double perSecond, int burst, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Fly's published limit for mutating actions: 1 request/s, bursts of 3. */
    static FlyRateLimit machinesApi() {
        return new FlyRateLimit(1.0, 3, System::nanoTime);
    }

    /** Waits until a request of this action on this app may go out, then takes its token. */
    void acquire(String app, String action) throws InterruptedException {
        while (true) {
            long wait = tryAcquire(app, action);
            if (wait <= 0) {
                return;
            }
            Thread.sleep(Math.max(1, wait / 1_000_000), (int) (wait % 1_000_000));
        }
    }

    /** Takes a token and answers 0, or answers how many nanoseconds until one is there. */
    synchronized long tryAcquire(String app, String action) {
        Bucket bucket = bucket(app, action);
        long now = nanoTime.getAsLong();
        if (now < bucket.blockedUntil) {
            return bucket.blockedUntil - now;
        }
        bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updated) * perSecond / 1e9);
        bucket.updated = now;
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - bucket.tokens) / perSecond * 1e9);
    }

    /** Fly answered 429: nothing more of this action on this app until {@code wait} has passed, then no burst. */
    synchronized void throttled(String app, String action, Duration wait) {
        Bucket bucket = bucket(app, action);
        long now = nanoTime.getAsLong();
        bucket.blockedUntil = Math.max(bucket.blockedUntil, now + wait.toNanos());
        bucket.tokens = 0;
        bucket.updated = bucket.blockedUntil;
    }

    private Bucket bucket(String app, String action) {
        return buckets.computeIfAbsent(app + " " + action, key -> {
            Bucket fresh = new Bucket();
            fresh.tokens = burst;
            fresh.updated = nanoTime.getAsLong();
            return fresh;
        });
    }
}
