package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.port.out.DeliveryLedger;
import ai.interviewinsights.domain.port.out.RateLimits;
import ai.interviewinsights.domain.testing.Fixtures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Rate-limit buckets and the webhook ledger in the real database, under concurrency and under RLS. */
class SharedLimitsTest {

    private final RateLimits limits = TestDatabase.store().rateLimits();
    private final DeliveryLedger ledger = TestDatabase.store().deliveries();

    @Test
    void a_bucket_gives_its_capacity_then_says_how_long_to_wait() {
        String key = "test:" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), limits.tryAcquire(key, 3, Duration.ofMinutes(1)), "take " + i);
        }
        Optional<Duration> wait = limits.tryAcquire(key, 3, Duration.ofMinutes(1));
        assertTrue(wait.isPresent());
        assertTrue(wait.get().compareTo(Duration.ZERO) > 0 && wait.get().compareTo(Duration.ofSeconds(21)) <= 0,
                "a token comes back every 20 s: " + wait.get());
        assertEquals(Optional.empty(), limits.tryAcquire("test:" + UUID.randomUUID(), 3, Duration.ofMinutes(1)),
                "buckets are per key");
    }

    @Test
    void a_bucket_refills_with_time() throws Exception {
        // The refusal needs the second take within one period of the first (two round trips to the database): a
        // period of 2 s holds on a loaded machine, where a GC pause or a starved core can take 300 ms. The sleep only
        // has to exceed the period.
        String key = "test:" + UUID.randomUUID();
        Duration period = Duration.ofSeconds(2);
        assertEquals(Optional.empty(), limits.tryAcquire(key, 1, period));
        assertTrue(limits.tryAcquire(key, 1, period).isPresent());
        Thread.sleep(period.toMillis() + 100);
        assertEquals(Optional.empty(), limits.tryAcquire(key, 1, period));
    }

    @Test
    void concurrent_takes_never_spend_more_than_the_capacity() throws Exception {
        String key = "test:" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> takes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            takes.add(pool.submit(() -> {
                go.await();
                return limits.tryAcquire(key, 10, Duration.ofHours(1)).isEmpty();
            }));
        }
        go.countDown();
        int taken = 0;
        for (Future<Boolean> take : takes) {
            taken += take.get() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(10, taken);
    }

    @Test
    void a_bucket_full_again_is_pruned_and_a_take_after_it_behaves_as_before() throws Exception {
        PostgresRateLimits buckets = freshBuckets();
        String refilled = "test:" + UUID.randomUUID();
        String refilling = "test:" + UUID.randomUUID();
        Duration period = Duration.ofSeconds(4); // two tokens: one back every 2 s, ample on a loaded machine
        assertEquals(Optional.empty(), buckets.tryAcquire(refilled, 2, period)); // full again in 2 s
        assertEquals(Optional.empty(), buckets.tryAcquire(refilling, 1, Duration.ofHours(1))); // full in an hour
        assertTrue(buckets.tryAcquire(refilling, 1, Duration.ofHours(1)).isPresent());
        Thread.sleep(2_300);

        assertTrue(buckets.prune() >= 1);
        assertEquals(0, rows(refilled), "a full bucket's row is deleted");
        assertEquals(1, rows(refilling), "a bucket still refilling is kept");
        assertTrue(buckets.tryAcquire(refilling, 1, Duration.ofHours(1)).isPresent(), "its limit still holds");
        assertEquals(Optional.empty(), buckets.tryAcquire(refilled, 2, period));
        assertEquals(Optional.empty(), buckets.tryAcquire(refilled, 2, period));
        assertTrue(buckets.tryAcquire(refilled, 2, period).isPresent(),
                "a pruned key starts again from its capacity, no more");
    }

    @Test
    void takes_prune_the_table_by_themselves_so_keys_never_seen_again_do_not_pile_up() throws Exception {
        PostgresRateLimits buckets = freshBuckets(); // its count of takes starts at 0: the first pruning is at 200
        // Keys a scan of invite tokens would leave: each limited once, never seen again.
        String prefix = "test:scan:" + UUID.randomUUID() + ":";
        for (int i = 0; i < 50; i++) {
            buckets.tryAcquire(prefix + i, 5, Duration.ofMillis(100));
        }
        assertEquals(50, rowsStartingWith(prefix));
        Thread.sleep(300);
        String later = "test:later:" + UUID.randomUUID() + ":";
        for (int i = 0; i < PostgresRateLimits.PRUNE_EVERY - 50; i++) {
            buckets.tryAcquire(later + i, 1, Duration.ofHours(1));
        }
        assertEquals(0, rowsStartingWith(prefix), "the buckets full again were pruned");
        assertEquals(PostgresRateLimits.PRUNE_EVERY - 50, rowsStartingWith(later),
                "the buckets still refilling were kept");
    }

    @Test
    void a_pruning_deletes_a_bounded_batch_and_the_next_one_goes_on() throws Exception {
        PostgresRateLimits buckets = freshBuckets();
        String prefix = "test:batch:" + UUID.randomUUID() + ":";
        try (Connection c = TestDatabase.superuser().getConnection();
             PreparedStatement s = c.prepareStatement("""
                     insert into interview.rate_limit_buckets (key, tokens, updated_at, full_at)
                     select ? || g, 1, now() - interval '1 minute', now() - interval '1 second'
                     from generate_series(1, ?) g""")) {
            s.setString(1, prefix);
            s.setInt(2, PostgresRateLimits.PRUNE_AT_MOST + 20);
            s.executeUpdate();
        }

        assertEquals(PostgresRateLimits.PRUNE_AT_MOST, buckets.prune());
        assertTrue(buckets.prune() >= 20);
        assertEquals(0, rowsStartingWith(prefix));
    }

    /** During a rolling deploy an instance of the previous version inserts rows without {@code full_at}. */
    @Test
    void a_row_inserted_without_its_full_time_is_kept_a_day() throws Exception {
        String key = "test:old-instance:" + UUID.randomUUID();
        try (Connection c = TestDatabase.superuser().getConnection();
             PreparedStatement s = c.prepareStatement("insert into interview.rate_limit_buckets"
                     + " (key, tokens, updated_at) values (?, 1, statement_timestamp())")) {
            s.setString(1, key);
            s.executeUpdate();
        }
        try (Connection c = TestDatabase.superuser().getConnection();
             PreparedStatement s = c.prepareStatement("select full_at > now() + interval '23 hours'"
                     + " from interview.rate_limit_buckets where key = ?")) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next() && r.getBoolean(1), "pruned only once a day has passed");
            }
        }
    }

    /** Buckets of their own (same table), so that no other test's takes move their count towards a pruning. */
    private static PostgresRateLimits freshBuckets() {
        return new PostgresRateLimits(TestDatabase.store().transactions());
    }

    private static long rows(String key) throws Exception {
        return count("select count(*) from interview.rate_limit_buckets where key = ?", key);
    }

    private static long rowsStartingWith(String prefix) throws Exception {
        return count("select count(*) from interview.rate_limit_buckets where starts_with(key, ?)", prefix);
    }

    private static long count(String sql, String parameter) throws Exception {
        try (Connection c = TestDatabase.superuser().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    @Test
    void a_delivery_is_claimed_once_until_released() {
        String key = "video.encoding.quality.completed|vi" + UUID.randomUUID();
        assertTrue(ledger.claim("apivideo", key));
        assertFalse(ledger.claim("apivideo", key));
        assertTrue(ledger.claim("other-source", key), "sources are separate");
        ledger.release("apivideo", key);
        assertTrue(ledger.claim("apivideo", key), "a released claim can be claimed by the retry");
    }

    @Test
    void concurrent_claims_of_one_delivery_have_one_winner() throws Exception {
        String key = "dup|" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> claims = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            claims.add(pool.submit(() -> {
                go.await();
                return ledger.claim("apivideo", key);
            }));
        }
        go.countDown();
        int won = 0;
        for (Future<Boolean> claim : claims) {
            won += claim.get() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, won);
    }

    @Test
    void a_tenant_principal_can_neither_read_nor_change_them() {
        AccessScope admin = AccessScope.of(Fixtures.admin(Fixtures.ACME));
        for (String sql : List.of("select count(*) from interview.rate_limit_buckets",
                "select count(*) from interview.webhook_deliveries",
                "delete from interview.rate_limit_buckets",
                "insert into interview.webhook_deliveries (source, key) values ('x', 'y')")) {
            assertTrue(RawSql.attempt(admin, sql).refused(), sql);
        }
    }
}
