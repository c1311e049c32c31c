package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Tenant;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.model.runner.RunnerName;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionOrigin;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.testing.Fixtures;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Heavier than the contract's case: eight writers (runners on the one-statement path, candidates on the
 * per-row-count path) each offer every one of 2,000 entries, in their own random batches and order, at once.
 * Every entry must be stored exactly once, reported "stored" to exactly one writer, and read back in order.
 */
class TranscriptConcurrencyTest {

    private static final AccessScope SYSTEM = AccessScope.system("concurrency-test");

    @Test
    void eight_writers_offering_every_entry_in_random_overlapping_batches_store_each_once() throws Exception {
        SupabaseStore store = TestDatabase.store();
        Clock clock = Clock.systemUTC();
        TenantId tenant = new TenantId(UUID.randomUUID());
        store.tenants().save(SYSTEM, new Tenant(tenant, "Busy"));
        PositionId position = new PositionId(UUID.randomUUID());
        store.positions().save(SYSTEM, Fixtures.position(position, tenant));
        CandidateId candidate = new CandidateId(UUID.randomUUID());
        store.candidates().save(SYSTEM, Fixtures.candidate(candidate, tenant));
        InterviewSession session = store.sessions().save(SYSTEM, InterviewSession.start(new SessionId(UUID.randomUUID()),
                tenant, candidate, position, Fixtures.settings(), SessionOrigin.INVITE, Fixtures.admin(tenant).user(),
                clock));
        session.beginProvisioning(clock);
        session.runnerReady(new RunnerRef(new RunnerId("local-1"), RunnerName.of(session.settings().architecture(),
                tenant,
                session.id()), URI.create("ws://127.0.0.1:9/ws")), clock);
        session = store.sessions().save(SYSTEM, session);
        SessionId id = session.id();

        List<TranscriptEntry> all = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            all.add(Fixtures.entry(id, "item_" + i, i, i % 2 == 0 ? Speaker.AI : Speaker.CANDIDATE, "turn " + i));
        }
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<AppendResult>> results = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                AccessScope scope = AccessScope.of(w % 2 == 0 ? Fixtures.runnerPrincipal(tenant, id)
                        : Fixtures.candidatePrincipal(tenant, id));
                List<TranscriptEntry> mine = new ArrayList<>(all);
                Collections.shuffle(mine, new Random(w));
                int batch = 20 + 15 * w;
                results.add(pool.submit(() -> {
                    start.await();
                    AppendResult total = AppendResult.empty();
                    for (int i = 0; i < mine.size(); i += batch) {
                        total = total.plus(store.transcripts().append(scope, tenant, id,
                                mine.subList(i, Math.min(mine.size(), i + batch))));
                    }
                    return total;
                }));
            }
            start.countDown();
            Map<IdempotencyKey, Integer> storedBy = new HashMap<>();
            int offered = 0;
            for (Future<AppendResult> future : results) {
                AppendResult result = future.get(120, TimeUnit.SECONDS);
                offered += result.stored().size() + result.duplicates().size();
                for (IdempotencyKey key : result.stored()) {
                    storedBy.merge(key, 1, Integer::sum);
                }
            }
            assertEquals(writers * all.size(), offered, "every offer was answered");
            assertEquals(all.size(), storedBy.size(), "every entry was stored");
            assertTrue(storedBy.values().stream().allMatch(n -> n == 1), "and reported stored exactly once");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(all, store.transcripts().read(SYSTEM, tenant, id));
    }
}
