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
import java.util.Optional;
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
            insert into interview.transcript_entries (tenant_id, session_id, idempotency_key, speaker, text_ct,
                spoken_at, position, source, status, audio_end_ms, failure_reason)
            select :tenant_id, :session_id, e.k, e.speaker, substring(cast(:texts as bytea) from e.text_from for e.text_length),
                e.spoken_at, e.position, e.source, e.status, e.audio_end_ms, e.failure_reason
            from unnest(cast(:keys as text[]), cast(:speakers as text[]), cast(:text_from as int[]),
                        cast(:text_length as int[]),
                        cast(:spoken_at as timestamptz[]), cast(:positions as bigint[]), cast(:sources as text[]),
                        cast(:statuses as text[]), cast(:audio_end_ms as bigint[]), cast(:failure_reasons as text[]))
                as e(k, speaker, text_from, text_length, spoken_at, position, source, status, audio_end_ms,
                     failure_reason)
            on conflict (session_id, idempotency_key) do nothing
            returning idempotency_key""";

    /** {@link #INSERT_BATCH} with positional parameters, for {@link ScopedTransactions#statementInScope}. */
    private static final String INSERT_BATCH_POSITIONAL = INSERT_BATCH
            .replace(":tenant_id", "?").replace(":session_id", "?").replace(":texts", "?")
            .replace(":keys", "?").replace(":speakers", "?").replace(":text_from", "?").replace(":text_length", "?")
            .replace(":spoken_at", "?").replace(":positions", "?").replace(":sources", "?")
            .replace(":statuses", "?").replace(":audio_end_ms", "?").replace(":failure_reasons", "?");

    private static final String INSERT_ONE = """
            insert into interview.transcript_entries (tenant_id, session_id, idempotency_key, speaker, text_ct,
                spoken_at, position, source, status, audio_end_ms, failure_reason)
            values (:tenant_id, :session_id, :k, :speaker, :text_ct, :spoken_at, :position, :source, :status,
                :audio_end_ms, :failure_reason)
            on conflict do nothing""";

    private static final String READ = """
            select idempotency_key, speaker, text, text_ct, spoken_at, position, source, status, audio_end_ms, failure_reason
            from interview.transcript_entries
            where tenant_id = :tenant_id and session_id = :session_id
            order by position, spoken_at, idempotency_key""";

    private final ScopedTransactions db;
    private final KeyVault vault;

    PostgresTranscriptRepository(ScopedTransactions db, KeyVault keys) {
        this.db = db;
        this.vault = keys;
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
        Optional<KeyVault.CandidateKey> inMemory = mayReadBack
                ? vault.cachedSessionKey(tenant.value(), session.value()) : Optional.empty();
        Set<IdempotencyKey> stored;
        if (inMemory.isPresent()) {
            stored = insertInOneRoundTrip(scope, tenant, session, inKeyOrder, inMemory.get());
        } else {
            stored = db.inScope(scope, handle -> {
                // The text is sealed with the key of the session's candidate; a session the scope cannot see is
                // refused the way the insert itself would be (without telling whether it exists).
                KeyVault.CandidateKey key = vault.sessionKey(handle, tenant.value(), session.value(), true)
                        .orElseThrow(SqlErrors::forbidden);
                byte[][] texts = sealed(key, tenant, session, inKeyOrder);
                return mayReadBack
                        ? insertReturning(handle, tenant, session, inKeyOrder, texts)
                        : insertCounting(handle, tenant, session, inKeyOrder, texts);
            });
        }
        List<IdempotencyKey> added = new ArrayList<>();
        List<IdempotencyKey> duplicates = new ArrayList<>();
        for (TranscriptEntry entry : entries) {
            (stored.contains(entry.key()) ? added : duplicates).add(entry.key());
        }
        return new AppendResult(added, duplicates);
    }

    private static byte[][] sealed(KeyVault.CandidateKey key, TenantId tenant, SessionId session,
                                   List<TranscriptEntry> entries) {
        FieldCipher.Context context = FieldCipher.context(FieldCipher.TRANSCRIPT_TEXT, tenant.value(), session.value());
        byte[][] texts = new byte[entries.size()][];
        for (int i = 0; i < texts.length; i++) {
            TranscriptEntry entry = entries.get(i);
            texts[i] = FieldCipher.seal(key.aead(), entry.text(), context.forRow(entry.key().value()));
        }
        return texts;
    }

    /**
     * The common case of a runner's batch (decision 26): the session's key is in memory, so the batch is one
     * statement, sent with the scope's {@code set_config} in one round trip and committed as one implicit
     * transaction ({@link ScopedTransactions#statementInScope}). Row-level security checks every row exactly as in
     * {@link ScopedTransactions#inScope}: a writer the policies refuse is refused here too (42501, forbidden).
     */
    private Set<IdempotencyKey> insertInOneRoundTrip(AccessScope scope, TenantId tenant, SessionId session,
                                                     List<TranscriptEntry> entries, KeyVault.CandidateKey key) {
        byte[][] texts = sealed(key, tenant, session, entries);
        Columns columns = Columns.of(entries);
        return db.statementInScope(scope, INSERT_BATCH_POSITIONAL, (statement, first) -> {
            java.sql.Connection connection = statement.getConnection();
            int i = first;
            statement.setObject(i++, tenant.value());
            statement.setObject(i++, session.value());
            statement.setBytes(i++, concatenated(texts));
            statement.setArray(i++, connection.createArrayOf("text", columns.keys()));
            statement.setArray(i++, connection.createArrayOf("text", columns.speakers()));
            statement.setArray(i++, connection.createArrayOf("int4", offsets(texts)));
            statement.setArray(i++, connection.createArrayOf("int4", lengths(texts)));
            statement.setArray(i++, connection.createArrayOf("text", columns.spokenAt()));
            statement.setArray(i++, connection.createArrayOf("int8", columns.positions()));
            statement.setArray(i++, connection.createArrayOf("text", columns.sources()));
            statement.setArray(i++, connection.createArrayOf("text", columns.statuses()));
            statement.setArray(i++, connection.createArrayOf("int8", columns.audioEnds()));
            statement.setArray(i, connection.createArrayOf("text", columns.failureReasons()));
        }, rows -> {
            Set<IdempotencyKey> stored = new HashSet<>();
            while (rows.next()) {
                stored.add(IdempotencyKey.of(rows.getString(1)));
            }
            return stored;
        });
    }

    /** A batch column-wise, as {@code unnest} takes it. */
    private record Columns(String[] keys, String[] speakers, String[] spokenAt, Long[] positions, String[] sources,
                           String[] statuses, Long[] audioEnds, String[] failureReasons) {
        static Columns of(List<TranscriptEntry> entries) {
            int n = entries.size();
            Columns c = new Columns(new String[n], new String[n], new String[n], new Long[n], new String[n],
                    new String[n], new Long[n], new String[n]);
            for (int i = 0; i < n; i++) {
                TranscriptEntry entry = entries.get(i);
                c.keys[i] = entry.key().value();
                c.speakers[i] = Rows.name(entry.speaker());
                c.spokenAt[i] = entry.spokenAt().toString();
                c.positions[i] = entry.position();
                c.sources[i] = Rows.name(entry.source());
                c.statuses[i] = Rows.name(entry.status());
                c.audioEnds[i] = entry.audioEnd() == null ? null : entry.audioEnd().toMillis();
                c.failureReasons[i] = entry.failureReason();
            }
            return c;
        }
    }

    private static Set<IdempotencyKey> insertReturning(Handle handle, TenantId tenant, SessionId session,
                                                       List<TranscriptEntry> entries, byte[][] texts) {
        Columns columns = Columns.of(entries);
        Set<IdempotencyKey> stored = new HashSet<>();
        handle.createQuery(INSERT_BATCH)
                .bind("tenant_id", Rows.uuid(tenant.value()))
                .bind("session_id", Rows.uuid(session.value()))
                .bind("keys", Rows.array("text", columns.keys()))
                .bind("speakers", Rows.array("text", columns.speakers()))
                // The ciphertexts travel as one binary value, cut apart by offset and length: a bytea[] would go as
                // hex text (twice the bytes, parsed per element), which measured markedly slower.
                .bind("texts", concatenated(texts))
                .bind("text_from", Rows.array("int4", offsets(texts)))
                .bind("text_length", Rows.array("int4", lengths(texts)))
                .bind("spoken_at", Rows.array("text", columns.spokenAt()))
                .bind("positions", Rows.array("int8", columns.positions()))
                .bind("sources", Rows.array("text", columns.sources()))
                .bind("statuses", Rows.array("text", columns.statuses()))
                .bind("audio_end_ms", Rows.array("int8", columns.audioEnds()))
                .bind("failure_reasons", Rows.array("text", columns.failureReasons()))
                .map((rs, ctx) -> IdempotencyKey.of(rs.getString(1)))
                .forEach(stored::add);
        return stored;
    }

    private static byte[] concatenated(byte[][] parts) {
        int total = 0;
        for (byte[] part : parts) {
            total += part.length;
        }
        byte[] out = new byte[total];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    /** 1-based offsets, as SQL's substring counts. */
    private static Integer[] offsets(byte[][] parts) {
        Integer[] out = new Integer[parts.length];
        int at = 1;
        for (int i = 0; i < parts.length; i++) {
            out[i] = at;
            at += parts[i].length;
        }
        return out;
    }

    private static Integer[] lengths(byte[][] parts) {
        Integer[] out = new Integer[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = parts[i].length;
        }
        return out;
    }

    private static Set<IdempotencyKey> insertCounting(Handle handle, TenantId tenant, SessionId session,
                                                      List<TranscriptEntry> entries, byte[][] texts) {
        PreparedBatch batch = handle.prepareBatch(INSERT_ONE);
        for (int i = 0; i < entries.size(); i++) {
            TranscriptEntry entry = entries.get(i);
            batch.bind("tenant_id", Rows.uuid(tenant.value()))
                    .bind("session_id", Rows.uuid(session.value()))
                    .bind("k", entry.key().value())
                    .bind("speaker", Rows.name(entry.speaker()))
                    .bind("text_ct", texts[i])
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
        return db.inScope(scope, handle -> {
            Optional<KeyVault.CandidateKey> candidateKey = vault.sessionKey(handle, tenant.value(), session.value(), false);
            FieldCipher.Context context = FieldCipher.context(FieldCipher.TRANSCRIPT_TEXT, tenant.value(),
                    session.value());
            return handle.createQuery(READ)
                .bind("tenant_id", Rows.uuid(tenant.value()))
                .bind("session_id", Rows.uuid(session.value()))
                .map((rs, ctx) -> {
                    Long audioEnd = Rows.nullableLong(rs, "audio_end_ms");
                    String key = rs.getString("idempotency_key");
                    byte[] sealed = rs.getBytes("text_ct");
                    String text = sealed == null ? rs.getString("text") : FieldCipher.open(
                            candidateKey.orElseThrow(FieldCipher::undecryptable).aead(),
                            sealed, context.forRow(key));
                    return new TranscriptEntry(session, IdempotencyKey.of(key),
                            Rows.enumOf(Speaker.class, rs.getString("speaker")), text,
                            Rows.instant(rs, "spoken_at"), rs.getLong("position"),
                            Rows.enumOf(TranscriptSource.class, rs.getString("source")),
                            Rows.enumOf(EntryStatus.class, rs.getString("status")),
                            audioEnd == null ? null : Duration.ofMillis(audioEnd), rs.getString("failure_reason"));
                })
                .list();
        });
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
