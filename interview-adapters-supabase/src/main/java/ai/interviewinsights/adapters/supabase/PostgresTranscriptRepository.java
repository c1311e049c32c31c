package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.EntryStatus;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import ai.interviewinsights.domain.port.out.TranscriptRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Transcript entries: appended in batches, idempotently, read back in conversation order.
 *
 * <p>A batch is one statement: the entries travel column-wise as arrays, {@code unnest} turns them back into rows,
 * and {@code INSERT ... ON CONFLICT DO NOTHING RETURNING idempotency_key} stores the new ones and names them; every
 * other key of the batch was stored already. (Arrays measured about a quarter faster here than one JSON document
 * through {@code jsonb_to_recordset}.) Rows are inserted in key order, so two overlapping batches running at once
 * take their index locks in the same order and cannot deadlock.
 *
 * <p>A candidate has no right to read the transcript, and {@code RETURNING} needs exactly that right on the new
 * rows. A candidate's batch is therefore sent as one JDBC batch of single-row inserts (one round trip), whose
 * per-row update counts (1 stored, 0 duplicate) tell the same story without reading anything back. Its
 * {@code ON CONFLICT} names no conflict target on purpose: a target needs SELECT rights on the row too (PostgreSQL
 * then applies the select policies to the new row); the table's only unique key is (session_id, idempotency_key).
 */
final class PostgresTranscriptRepository implements TranscriptRepository {

    private static final String INSERT_BATCH = """
            insert into interview.transcript_entries (tenant_id, session_id, idempotency_key, speaker, text,
                spoken_at, position, source, status, audio_end_ms, failure_reason)
            select :tenant_id, :session_id, e.k, e.speaker, e.text, e.spoken_at, e.position, e.source, e.status,
                e.audio_end_ms, e.failure_reason
            from unnest(cast(:keys as text[]), cast(:speakers as text[]), cast(:texts as text[]),
                        cast(:spoken_at as timestamptz[]), cast(:positions as bigint[]), cast(:sources as text[]),
                        cast(:statuses as text[]), cast(:audio_end_ms as bigint[]), cast(:failure_reasons as text[]))
                as e(k, speaker, text, spoken_at, position, source, status, audio_end_ms, failure_reason)
            on conflict (session_id, idempotency_key) do nothing
            returning idempotency_key""";

    private static final String INSERT_ONE = """
            insert into interview.transcript_entries (tenant_id, session_id, idempotency_key, speaker, text,
                spoken_at, position, source, status, audio_end_ms, failure_reason)
            values (:tenant_id, :session_id, :k, :speaker, :text, :spoken_at, :position, :source, :status,
                :audio_end_ms, :failure_reason)
            on conflict do nothing""";

    private static final String READ = """
            select idempotency_key, speaker, text, spoken_at, position, source, status, audio_end_ms, failure_reason
            from interview.transcript_entries
            where tenant_id = :tenant_id and session_id = :session_id
            order by position, spoken_at, idempotency_key""";

    private final ScopedTransactions db;

    PostgresTranscriptRepository(ScopedTransactions db) {
        this.db = db;
    }

    @Override
    public AppendResult append(AccessScope scope, TenantId tenant, SessionId session, List<TranscriptEntry> entries) {
        Set<IdempotencyKey> keys = new HashSet<>();
        for (TranscriptEntry entry : entries) {
            if (!entry.session().equals(session)) {
                throw DomainException.invalid("invalid.batch", "entry " + entry.key() + " belongs to another session");
            }
            if (!keys.add(entry.key())) {
                throw DomainException.invalid("invalid.batch", "key " + entry.key() + " appears twice in the batch");
            }
        }
        if (entries.isEmpty()) {
            return AppendResult.empty();
        }
        List<TranscriptEntry> inKeyOrder = entries.stream().sorted(Comparator.comparing(TranscriptEntry::key)).toList();
        boolean mayReadBack = scope.principal().map(p -> p.role() != Role.CANDIDATE).orElse(true);
        Set<IdempotencyKey> stored = db.inScope(scope, handle -> mayReadBack
                ? insertReturning(handle, tenant, session, inKeyOrder)
                : insertCounting(handle, tenant, session, inKeyOrder));
        List<IdempotencyKey> added = new ArrayList<>();
        List<IdempotencyKey> duplicates = new ArrayList<>();
        for (TranscriptEntry entry : entries) {
            (stored.contains(entry.key()) ? added : duplicates).add(entry.key());
        }
        return new AppendResult(added, duplicates);
    }

    private static Set<IdempotencyKey> insertReturning(Handle handle, TenantId tenant, SessionId session,
                                                       List<TranscriptEntry> entries) {
        int n = entries.size();
        String[] keys = new String[n];
        String[] speakers = new String[n];
        String[] texts = new String[n];
        String[] spokenAt = new String[n];
        Long[] positions = new Long[n];
        String[] sources = new String[n];
        String[] statuses = new String[n];
        Long[] audioEnds = new Long[n];
        String[] failureReasons = new String[n];
        for (int i = 0; i < n; i++) {
            TranscriptEntry entry = entries.get(i);
            keys[i] = entry.key().value();
            speakers[i] = Rows.name(entry.speaker());
            texts[i] = entry.text();
            spokenAt[i] = entry.spokenAt().toString();
            positions[i] = entry.position();
            sources[i] = Rows.name(entry.source());
            statuses[i] = Rows.name(entry.status());
            audioEnds[i] = entry.audioEnd() == null ? null : entry.audioEnd().toMillis();
            failureReasons[i] = entry.failureReason();
        }
        Set<IdempotencyKey> stored = new HashSet<>();
        handle.createQuery(INSERT_BATCH)
                .bind("tenant_id", Rows.uuid(tenant.value()))
                .bind("session_id", Rows.uuid(session.value()))
                .bind("keys", Rows.array("text", keys))
                .bind("speakers", Rows.array("text", speakers))
                .bind("texts", Rows.array("text", texts))
                .bind("spoken_at", Rows.array("text", spokenAt))
                .bind("positions", Rows.array("int8", positions))
                .bind("sources", Rows.array("text", sources))
                .bind("statuses", Rows.array("text", statuses))
                .bind("audio_end_ms", Rows.array("int8", audioEnds))
                .bind("failure_reasons", Rows.array("text", failureReasons))
                .map((rs, ctx) -> IdempotencyKey.of(rs.getString(1)))
                .forEach(stored::add);
        return stored;
    }

    private static Set<IdempotencyKey> insertCounting(Handle handle, TenantId tenant, SessionId session,
                                                      List<TranscriptEntry> entries) {
        PreparedBatch batch = handle.prepareBatch(INSERT_ONE);
        for (TranscriptEntry entry : entries) {
            batch.bind("tenant_id", Rows.uuid(tenant.value()))
                    .bind("session_id", Rows.uuid(session.value()))
                    .bind("k", entry.key().value())
                    .bind("speaker", Rows.name(entry.speaker()))
                    .bind("text", entry.text())
                    .bind("spoken_at", Rows.timestamp(entry.spokenAt()))
                    .bind("position", entry.position())
                    .bind("source", Rows.name(entry.source()))
                    .bind("status", Rows.name(entry.status()))
                    .bind("audio_end_ms", entry.audioEnd() == null ? null : entry.audioEnd().toMillis())
                    .bind("failure_reason", entry.failureReason())
                    .add();
        }
        int[] counts = batch.execute();
        Set<IdempotencyKey> stored = new HashSet<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 1) {
                stored.add(entries.get(i).key());
            }
        }
        return stored;
    }

    @Override
    public List<TranscriptEntry> read(AccessScope scope, TenantId tenant, SessionId session) {
        return db.inScope(scope, handle -> handle.createQuery(READ)
                .bind("tenant_id", Rows.uuid(tenant.value()))
                .bind("session_id", Rows.uuid(session.value()))
                .map((rs, ctx) -> {
                    Long audioEnd = Rows.nullableLong(rs, "audio_end_ms");
                    return new TranscriptEntry(session, IdempotencyKey.of(rs.getString("idempotency_key")),
                            Rows.enumOf(Speaker.class, rs.getString("speaker")), rs.getString("text"),
                            Rows.instant(rs, "spoken_at"), rs.getLong("position"),
                            Rows.enumOf(TranscriptSource.class, rs.getString("source")),
                            Rows.enumOf(EntryStatus.class, rs.getString("status")),
                            audioEnd == null ? null : Duration.ofMillis(audioEnd), rs.getString("failure_reason"));
                })
                .list());
    }

    @Override
    public long nextPosition(AccessScope scope, TenantId tenant, SessionId session) {
        return db.inScope(scope, handle -> handle.createQuery("select coalesce(max(position) + 1, 0)"
                        + " from interview.transcript_entries where tenant_id = :tenant_id and session_id = :session_id")
                .bind("tenant_id", Rows.uuid(tenant.value()))
                .bind("session_id", Rows.uuid(session.value()))
                .mapTo(Long.class).one());
    }
}
