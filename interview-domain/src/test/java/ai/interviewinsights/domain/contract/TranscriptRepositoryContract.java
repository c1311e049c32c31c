package ai.interviewinsights.domain.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.runner.RunnerName;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.EntryStatus;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import ai.interviewinsights.domain.testing.Fixtures;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Transcripts: idempotent batches, conversation order, and who may write what. */
public abstract class TranscriptRepositoryContract extends RepositoryContractSupport {

    /** A session that accepts transcript entries (READY). */
    protected InterviewSession liveSession(TenantId tenant) {
        InterviewSession session = newSession(tenant);
        session.beginProvisioning(clock);
        session.runnerReady(new RunnerRef("runner-1", RunnerName.of(session.settings().architecture(), tenant,
                session.id()), URI.create("ws://127.0.0.1:9/ws")), clock);
        return repositories().sessions().save(SYSTEM, session);
    }

    private List<TranscriptEntry> entries(InterviewSession session, int from, int count) {
        List<TranscriptEntry> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(Fixtures.entry(session.id(), "item_" + i, i, i % 2 == 0 ? Speaker.AI : Speaker.CANDIDATE,
                    "turn number " + i));
        }
        return out;
    }

    private AppendResult append(AccessScope scope, InterviewSession session, List<TranscriptEntry> entries) {
        return repositories().transcripts().append(scope, session.tenant(), session.id(), entries);
    }

    private List<TranscriptEntry> read(InterviewSession session) {
        return repositories().transcripts().read(SYSTEM, session.tenant(), session.id());
    }

    @Test
    void the_next_position_follows_the_last_stored_entry_without_reading_the_transcript() {
        InterviewSession session = liveSession(newTenant());
        AccessScope runner = AccessScope.of(Fixtures.runnerPrincipal(session.tenant(), session.id()));
        assertEquals(0, repositories().transcripts().nextPosition(SYSTEM, session.tenant(), session.id()));
        append(runner, session, entries(session, 0, 7));
        assertEquals(7, repositories().transcripts().nextPosition(SYSTEM, session.tenant(), session.id()));
        assertEquals(7, repositories().transcripts().nextPosition(runner, session.tenant(), session.id()));
        assertEquals(0, repositories().transcripts().nextPosition(SYSTEM, newTenant(), session.id()),
                "another tenant's session has nothing");
    }

    @Test
    void the_same_batch_twice_is_stored_once() {
        InterviewSession session = liveSession(newTenant());
        AccessScope runner = AccessScope.of(Fixtures.runnerPrincipal(session.tenant(), session.id()));
        List<TranscriptEntry> batch = entries(session, 0, 5);
        AppendResult first = append(runner, session, batch);
        AppendResult second = append(runner, session, batch);
        List<IdempotencyKey> keys = batch.stream().map(TranscriptEntry::key).toList();
        assertEquals(keys, first.stored());
        assertEquals(List.of(), first.duplicates());
        assertEquals(List.of(), second.stored());
        assertEquals(keys, second.duplicates());
        assertEquals(batch, read(session));
    }

    @Test
    void the_first_writer_of_a_key_wins() {
        InterviewSession session = liveSession(newTenant());
        TranscriptEntry original = Fixtures.entry(session.id(), "item_a", 0, Speaker.CANDIDATE, "the real words");
        TranscriptEntry impostor = Fixtures.entry(session.id(), "item_a", 7, Speaker.AI, "something else");
        append(SYSTEM, session, List.of(original));
        AppendResult result = append(SYSTEM, session, List.of(impostor,
                Fixtures.entry(session.id(), "item_b", 1, Speaker.AI, "new")));
        assertEquals(List.of(IdempotencyKey.of("item_b")), result.stored());
        assertEquals(List.of(IdempotencyKey.of("item_a")), result.duplicates());
        assertEquals(original, read(session).get(0));
    }

    @Test
    void entries_come_back_in_conversation_order() {
        InterviewSession session = liveSession(newTenant());
        List<TranscriptEntry> all = entries(session, 0, 6);
        append(SYSTEM, session, List.of(all.get(4), all.get(1)));
        append(SYSTEM, session, List.of(all.get(5), all.get(0), all.get(3)));
        append(SYSTEM, session, List.of(all.get(2)));
        assertEquals(all, read(session));
    }

    @Test
    void truncated_and_failed_entries_keep_their_details() {
        InterviewSession session = liveSession(newTenant());
        Instant at = clock.instant();
        TranscriptEntry truncated = new TranscriptEntry(session.id(), IdempotencyKey.of("item_t"), Speaker.AI,
                "Tell me about a time when", at, 0, TranscriptSource.SIDEBAND, EntryStatus.TRUNCATED,
                Duration.ofMillis(1840), null);
        TranscriptEntry failed = new TranscriptEntry(session.id(), IdempotencyKey.of("item_f"), Speaker.CANDIDATE,
                "", at.plusSeconds(2), 1, TranscriptSource.CLIENT, EntryStatus.FAILED, null,
                "transcription failed: audio unintelligible");
        TranscriptEntry unicode = TranscriptEntry.complete(session.id(), IdempotencyKey.of("client:u1"),
                Speaker.CANDIDATE, "Grüße — 你好 🙂 \"quoted\" 'single' \\ back", at.plusSeconds(3), 2,
                TranscriptSource.CLIENT);
        append(SYSTEM, session, List.of(truncated, failed, unicode));
        assertEquals(List.of(truncated, failed, unicode), read(session));
    }

    @Test
    void overlapping_batches_in_parallel_store_each_entry_once() throws Exception {
        InterviewSession session = liveSession(newTenant());
        List<TranscriptEntry> all = entries(session, 0, 200);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<AppendResult>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                // Each thread appends an overlapping window: 0-119, 40-159, 80-199, 0-199.
                List<TranscriptEntry> window = t == threads - 1 ? all : all.subList(t * 40, t * 40 + 120);
                results.add(pool.submit(() -> {
                    start.await();
                    List<AppendResult> parts = new ArrayList<>();
                    for (int i = 0; i < window.size(); i += 25) {
                        parts.add(append(SYSTEM, session, window.subList(i, Math.min(window.size(), i + 25))));
                    }
                    return parts.stream().reduce(AppendResult.empty(), AppendResult::plus);
                }));
            }
            start.countDown();
            Set<IdempotencyKey> storedOnce = new HashSet<>();
            for (Future<AppendResult> result : results) {
                for (IdempotencyKey key : result.get(60, TimeUnit.SECONDS).stored()) {
                    assertTrue(storedOnce.add(key), key + " was reported stored twice");
                }
            }
            assertEquals(200, storedOnce.size());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(all, read(session));
    }

    @Test
    void another_tenant_can_neither_write_nor_read_a_transcript() {
        InterviewSession session = liveSession(newTenant());
        append(SYSTEM, session, entries(session, 0, 2));
        TenantId b = newTenant();
        AccessScope hostile = AccessScope.of(Fixtures.admin(b));
        assertRefused(() -> append(hostile, session, entries(session, 2, 1)));
        assertEquals(List.of(), repositories().transcripts().read(hostile, session.tenant(), session.id()));
        assertEquals(List.of(), repositories().transcripts().read(hostile, b, session.id()));
        assertEquals(2, read(session).size());
    }

    @Test
    void a_candidate_writes_to_its_own_live_session_only_and_reads_nothing() {
        TenantId a = newTenant();
        InterviewSession mine = liveSession(a);
        InterviewSession other = liveSession(a);
        AccessScope candidate = AccessScope.of(Fixtures.candidatePrincipal(a, mine.id()));
        assertEquals(1, append(candidate, mine, entries(mine, 0, 1)).stored().size());
        assertRefused(() -> append(candidate, other, entries(other, 0, 1)));
        assertEquals(List.of(), repositories().transcripts().read(candidate, a, mine.id()));
        assertEquals(List.of(), read(other));
    }

    @Test
    void nobody_but_a_system_job_writes_to_a_session_that_has_ended() {
        TenantId a = newTenant();
        InterviewSession session = liveSession(a);
        session.cancel(clock);
        InterviewSession ended = repositories().sessions().save(SYSTEM, session);
        AccessScope candidate = AccessScope.of(Fixtures.candidatePrincipal(a, ended.id()));
        AccessScope runner = AccessScope.of(Fixtures.runnerPrincipal(a, ended.id()));
        assertRefused(() -> append(candidate, ended, entries(ended, 0, 1)));
        assertRefused(() -> append(runner, ended, entries(ended, 0, 1)));
        assertEquals(List.of(), read(ended));
    }

    @Test
    void a_runner_reads_back_its_own_session() {
        TenantId a = newTenant();
        InterviewSession session = liveSession(a);
        List<TranscriptEntry> batch = entries(session, 0, 3);
        AccessScope runner = AccessScope.of(Fixtures.runnerPrincipal(a, session.id()));
        append(runner, session, batch);
        assertEquals(batch, repositories().transcripts().read(runner, a, session.id()));
    }
}
