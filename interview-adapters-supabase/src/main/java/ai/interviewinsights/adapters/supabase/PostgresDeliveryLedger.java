package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.port.out.DeliveryLedger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Claimed webhook deliveries in {@code interview.webhook_deliveries}: a claim is an insert that does nothing on
 * conflict, so of two instances receiving the same delivery exactly one inserts (the primary key decides).
 * Claims older than a week are pruned now and then: a sender's retries are minutes apart, not days.
 */
final class PostgresDeliveryLedger implements DeliveryLedger {

    private static final AccessScope SYSTEM = AccessScope.system("webhook-ledger");
    private static final int PRUNE_EVERY = 100;

    private final ScopedTransactions db;
    private final AtomicLong claims = new AtomicLong();

    PostgresDeliveryLedger(ScopedTransactions db) {
        this.db = db;
    }

    @Override
    public boolean claim(String source, String key) {
        boolean first = db.inScope(SYSTEM, handle -> handle.createUpdate("""
                        insert into interview.webhook_deliveries (source, key) values (:source, :key)
                        on conflict (source, key) do nothing""")
                .bind("source", source).bind("key", key).execute() == 1);
        if (claims.incrementAndGet() % PRUNE_EVERY == 0) {
            db.inScope(SYSTEM, handle -> handle.createUpdate("delete from interview.webhook_deliveries"
                    + " where claimed_at < statement_timestamp() - interval '7 days'").execute());
        }
        return first;
    }

    @Override
    public void release(String source, String key) {
        db.inScope(SYSTEM, handle -> handle.createUpdate(
                        "delete from interview.webhook_deliveries where source = :source and key = :key")
                .bind("source", source).bind("key", key).execute());
    }
}
