package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.port.out.RateLimits;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets in {@code interview.rate_limit_buckets}, one row per key. A take is one statement: an upsert that
 * refills the bucket by the time since its last take and takes a token only if one is there
 * ({@code on conflict ... do update ... where}); concurrent takes on the same key queue on the row lock, so no
 * two instances can spend the same token. Time is the database's ({@code statement_timestamp()}), one clock for
 * every instance whatever their own clocks say.
 *
 * <p>Each row also says when its bucket is full again ({@code full_at}, V28). A full bucket behaves exactly as a
 * missing row (the first take of a new key leaves {@code capacity - 1}), so rows past that time are deleted every
 * {@value #PRUNE_EVERY} takes of this instance, at most {@value #PRUNE_AT_MOST} at a time and skipping rows another
 * transaction holds: the table holds the keys limited within about one period, not every key ever seen (client
 * addresses, invite tokens tried, callers asking for a grant). A take racing the deletion either finds the row and
 * refills it to the same capacity or inserts a new one: the same tokens either way. The pruning is housekeeping: its
 * failure is logged and never fails the take.
 */
final class PostgresRateLimits implements RateLimits {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresRateLimits.class);
    private static final AccessScope SYSTEM = AccessScope.system("rate-limits");
    static final int PRUNE_EVERY = 200;
    static final int PRUNE_AT_MOST = 1000;

    private final ScopedTransactions db;
    private final AtomicLong takes = new AtomicLong();

    PostgresRateLimits(ScopedTransactions db) {
        this.db = db;
    }

    @Override
    public Optional<Duration> tryAcquire(String key, int capacity, Duration period) {
        if (key == null || key.isEmpty() || key.length() > 200 || capacity < 1 || period.isZero()
                || period.isNegative()) {
            throw new IllegalArgumentException("a bucket needs a key of 1-200 characters, a capacity and a period");
        }
        double perSecond = capacity / (period.toNanos() / 1e9);
        if (takes.incrementAndGet() % PRUNE_EVERY == 0) {
            try {
                prune();
            } catch (RuntimeException e) {
                LOG.warn("pruning the rate-limit buckets failed (the next pruning tries again): {}", e.toString());
            }
        }
        return db.inScope(SYSTEM, handle -> {
            // full_at: when the tokens left after this take (capacity - 1 for a new row) are back to capacity.
            Optional<Double> left = handle.createQuery("""
                            insert into interview.rate_limit_buckets as b (key, tokens, updated_at, full_at)
                            values (:key, :capacity - 1, statement_timestamp(),
                                    statement_timestamp() + make_interval(secs => 1 / :perSecond))
                            on conflict (key) do update set
                                tokens = least(:capacity::double precision, b.tokens
                                    + extract(epoch from statement_timestamp() - b.updated_at) * :perSecond) - 1,
                                updated_at = statement_timestamp(),
                                full_at = statement_timestamp() + make_interval(secs => (:capacity
                                    - least(:capacity::double precision, b.tokens
                                        + extract(epoch from statement_timestamp() - b.updated_at) * :perSecond)
                                    + 1) / :perSecond)
                            where least(:capacity::double precision, b.tokens
                                    + extract(epoch from statement_timestamp() - b.updated_at) * :perSecond) >= 1
                            returning tokens""")
                    .bind("key", key).bind("capacity", capacity).bind("perSecond", perSecond)
                    .mapTo(Double.class).findOne();
            if (left.isPresent()) {
                return Optional.<Duration>empty();
            }
            double now = handle.createQuery("""
                            select least(:capacity::double precision, tokens
                                + extract(epoch from statement_timestamp() - updated_at) * :perSecond)
                            from interview.rate_limit_buckets where key = :key""")
                    .bind("key", key).bind("capacity", capacity).bind("perSecond", perSecond)
                    .mapTo(Double.class).findOne().orElse(0.0);
            long millis = (long) Math.ceil(Math.max(0, 1 - now) / perSecond * 1000);
            return Optional.of(Duration.ofMillis(Math.max(1, millis)));
        });
    }

    /** Deletes buckets that are full again (each as good as no row), at most {@value #PRUNE_AT_MOST}; how many. */
    int prune() {
        return db.inScope(SYSTEM, handle -> handle.createUpdate("""
                        delete from interview.rate_limit_buckets where key in (
                            select key from interview.rate_limit_buckets where full_at < statement_timestamp()
                            limit :most for update skip locked)""")
                .bind("most", PRUNE_AT_MOST).execute());
    }
}
