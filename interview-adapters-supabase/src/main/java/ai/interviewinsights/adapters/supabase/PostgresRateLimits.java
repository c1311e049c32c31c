package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.port.out.RateLimits;
import java.time.Duration;
import java.util.Optional;

/**
 * Token buckets in {@code interview.rate_limit_buckets}, one row per key. A take is one statement: an upsert that
 * refills the bucket by the time since its last take and takes a token only if one is there
 * ({@code on conflict ... do update ... where}); concurrent takes on the same key queue on the row lock, so no
 * two instances can spend the same token. Time is the database's ({@code statement_timestamp()}), one clock for
 * every instance whatever their own clocks say.
 */
final class PostgresRateLimits implements RateLimits {

    private static final AccessScope SYSTEM = AccessScope.system("rate-limits");

    private final ScopedTransactions db;

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
        return db.inScope(SYSTEM, handle -> {
            Optional<Double> left = handle.createQuery("""
                            insert into interview.rate_limit_buckets as b (key, tokens, updated_at)
                            values (:key, :capacity - 1, statement_timestamp())
                            on conflict (key) do update set
                                tokens = least(:capacity::double precision, b.tokens
                                    + extract(epoch from statement_timestamp() - b.updated_at) * :perSecond) - 1,
                                updated_at = statement_timestamp()
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
}
