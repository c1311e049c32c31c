package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.AccessScope;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Key rotation without downtime, and the resumable re-encryption job behind it.
 *
 * <ol>
 *   <li>{@link #rotateTenant}: one transaction gives the tenant's keyset a new primary key and every candidate
 *       keyset of the tenant a new primary key too (re-wrapped under the tenant's new key). From then on new writes
 *       use the new keys (other instances within the key cache's lifetime); old rows still decrypt, because the old
 *       keys stay in the keysets.</li>
 *   <li>{@link #reencrypt}: candidate by candidate, in id order, one transaction each, every sealed field not
 *       under its candidate's primary key (and every plaintext left from before encryption) is sealed again under
 *       it. The last candidate done is recorded with the work, so a job that dies (kill -9, a crash) resumes after
 *       it and loses nothing: an unfinished candidate's transaction simply rolls back.</li>
 *   <li>{@link #retire}: once the job has finished and every instance has dropped its cached keys, the old keys
 *       are removed from the keysets (stragglers are re-encrypted first, in the same transaction).</li>
 * </ol>
 * The master key rotates the same way one level up: {@link #rewrapTenantKeys} re-wraps every tenant keyset under
 * the master key's primary; {@link #masterKeyIdsInUse} tells when the old master keys may go.
 */
final class KeyRotation {

    private static final AccessScope JOB = AccessScope.system("key-rotation");
    private static final UUID BEFORE_ALL = new UUID(0, 0);

    /** Called after each re-encrypted value (tests inject a crash here). */
    interface Progress {
        void sealed(UUID candidate, String field);
    }

    record Report(UUID tenant, int candidates, int values, boolean finished) {
    }

    private final ScopedTransactions db;
    private final KeyVault vault;
    private final Clock clock;
    private final Progress progress;

    KeyRotation(ScopedTransactions db, KeyVault vault, Clock clock, Progress progress) {
        this.db = db;
        this.vault = vault;
        this.clock = clock;
        this.progress = progress;
    }

    // ---- rotation -------------------------------------------------------------------------------------------------

    /** @return the tenant key's new generation */
    int rotateTenant(UUID tenant) {
        int generation = db.inScope(JOB, handle -> {
            KeyVault.TenantKey old = lockedTenantKey(handle, tenant);
            KeysetHandle rotated = withNewPrimary(old.keyset());
            int next = old.generation() + 1;
            handle.createUpdate("""
                            update interview_keys.tenant_keys
                            set keyset = :keyset, master_key_id = :master, generation = :generation, rotated_at = :now
                            where tenant_id = :tenant""")
                    .bind("keyset", vault.wrapTenantKeyset(rotated, tenant))
                    .bind("master", vault.master().primaryKeyId())
                    .bind("generation", next)
                    .bind("now", Rows.timestamp(clock.instant()))
                    .bind("tenant", Rows.uuid(tenant))
                    .execute();
            KeyVault.TenantKey fresh = vault.unwrapTenantKey(tenant, vault.wrapTenantKeyset(rotated, tenant), next);
            // Every candidate's keyset gets a new primary as well, wrapped under the tenant's new key.
            List<Object[]> rows = handle.createQuery("""
                            select candidate_id, keyset, generation from interview_keys.candidate_keys
                            where tenant_id = :tenant for update""")
                    .bind("tenant", Rows.uuid(tenant))
                    .map((rs, ctx) -> new Object[] {Rows.uuid(rs, "candidate_id"), rs.getBytes("keyset"),
                            rs.getInt("generation")})
                    .list();
            for (Object[] row : rows) {
                UUID candidate = (UUID) row[0];
                KeyVault.CandidateKey key = vault.unwrapCandidateKey(old, candidate, (byte[]) row[1], (int) row[2]);
                handle.createUpdate("""
                                update interview_keys.candidate_keys set keyset = :keyset, generation = :generation
                                where candidate_id = :candidate""")
                        .bind("keyset", vault.wrapCandidateKeyset(fresh, withNewPrimary(key.keyset()), candidate))
                        .bind("generation", next)
                        .bind("candidate", Rows.uuid(candidate))
                        .execute();
            }
            handle.createUpdate("""
                            insert into interview_keys.rotation_jobs (tenant_id, generation, last_candidate_id,
                                started_at, finished_at)
                            values (:tenant, :generation, null, :now, null)
                            on conflict (tenant_id) do update set generation = excluded.generation,
                                last_candidate_id = null, started_at = excluded.started_at, finished_at = null""")
                    .bind("tenant", Rows.uuid(tenant))
                    .bind("generation", next)
                    .bind("now", Rows.timestamp(clock.instant()))
                    .execute();
            return next;
        });
        vault.forgetTenant(tenant);
        return generation;
    }

    private KeyVault.TenantKey lockedTenantKey(Handle handle, UUID tenant) {
        vault.forgetTenant(tenant);
        vault.tenantKey(handle, tenant); // creates it for a tenant from before encryption
        return handle.createQuery("""
                        select keyset, generation from interview_keys.tenant_keys where tenant_id = :tenant
                        for update""")
                .bind("tenant", Rows.uuid(tenant))
                .map((rs, ctx) -> vault.unwrapTenantKey(tenant, rs.getBytes("keyset"), rs.getInt("generation")))
                .one();
    }

    private static KeysetHandle withNewPrimary(KeysetHandle keyset) {
        try {
            return KeysetHandle.newBuilder(keyset)
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                            .withRandomId().makePrimary())
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink could not add a key", e);
        }
    }

    private static KeysetHandle primaryOnly(KeysetHandle keyset) {
        try {
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(keyset);
            for (int i = builder.size() - 1; i >= 0; i--) {
                if (!builder.getAt(i).isPrimary()) {
                    builder.deleteAt(i);
                }
            }
            return builder.build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink could not remove a key", e);
        }
    }

    // ---- the re-encryption job ------------------------------------------------------------------------------------

    /** Every tenant's re-encryption (also seals plaintext left from before encryption). */
    List<Report> reencryptAll() {
        List<UUID> tenants = db.inScope(JOB, handle -> handle
                .createQuery("select id from interview.tenants order by id")
                .map((rs, ctx) -> Rows.uuid(rs, "id")).list());
        List<Report> reports = new ArrayList<>();
        for (UUID tenant : tenants) {
            reports.add(reencrypt(tenant));
        }
        return reports;
    }

    /** Resumes every re-encryption that a rotation started and nobody finished (the app's background job). */
    List<Report> resumeUnfinished() {
        List<UUID> tenants = db.inScope(JOB, handle -> handle
                .createQuery("select tenant_id from interview_keys.rotation_jobs where finished_at is null"
                        + " order by started_at, tenant_id")
                .map((rs, ctx) -> rs.getObject(1, UUID.class)).list());
        List<Report> reports = new ArrayList<>();
        for (UUID tenant : tenants) {
            reports.add(reencrypt(tenant));
        }
        return reports;
    }

    /** Runs (or resumes) the tenant's re-encryption to the end. */
    Report reencrypt(UUID tenant) {
        UUID after = db.inScope(JOB, handle -> {
            int generation = lockedTenantKey(handle, tenant).generation();
            Optional<UUID> last = handle.createQuery("""
                            select coalesce(last_candidate_id, cast(:zero as uuid)) from interview_keys.rotation_jobs
                            where tenant_id = :tenant and generation = :generation and finished_at is null""")
                    .bind("zero", Rows.uuid(BEFORE_ALL))
                    .bind("tenant", Rows.uuid(tenant))
                    .bind("generation", generation)
                    .map((rs, ctx) -> rs.getObject(1, UUID.class)).findOne();
            if (last.isEmpty()) {
                // No job under way for this generation: start one (a sweep of plaintext and stragglers).
                handle.createUpdate("""
                                insert into interview_keys.rotation_jobs (tenant_id, generation, last_candidate_id,
                                    started_at, finished_at)
                                values (:tenant, :generation, null, :now, null)
                                on conflict (tenant_id) do update set generation = excluded.generation,
                                    last_candidate_id = null, started_at = excluded.started_at, finished_at = null""")
                        .bind("tenant", Rows.uuid(tenant))
                        .bind("generation", generation)
                        .bind("now", Rows.timestamp(clock.instant()))
                        .execute();
            }
            return last.orElse(BEFORE_ALL);
        });
        int candidates = 0;
        int values = 0;
        while (true) {
            UUID from = after;
            Optional<UUID> next = db.inScope(JOB, handle -> handle.createQuery("""
                            select id from interview.candidates where tenant_id = :tenant and id > :after
                            order by id limit 1""")
                    .bind("tenant", Rows.uuid(tenant))
                    .bind("after", Rows.uuid(from))
                    .map((rs, ctx) -> Rows.uuid(rs, "id")).findOne());
            if (next.isEmpty()) {
                break;
            }
            UUID candidate = next.get();
            values += db.inScope(JOB, handle -> {
                int sealed = resealCandidate(handle, tenant, candidate);
                handle.createUpdate("update interview_keys.rotation_jobs set last_candidate_id = :candidate"
                                + " where tenant_id = :tenant")
                        .bind("candidate", Rows.uuid(candidate))
                        .bind("tenant", Rows.uuid(tenant))
                        .execute();
                return sealed;
            });
            candidates++;
            after = candidate;
        }
        db.inScope(JOB, handle -> handle.createUpdate(
                        "update interview_keys.rotation_jobs set finished_at = :now where tenant_id = :tenant")
                .bind("now", Rows.timestamp(clock.instant()))
                .bind("tenant", Rows.uuid(tenant))
                .execute());
        return new Report(tenant, candidates, values, true);
    }

    /** Seals every value of the candidate that is not under their key's primary; in the caller's transaction. */
    private int resealCandidate(Handle handle, UUID tenant, UUID candidate) {
        handle.createQuery("select 1 from interview_keys.candidate_keys where candidate_id = :c for update")
                .bind("c", Rows.uuid(candidate)).mapTo(Integer.class).list();
        vault.forgetCandidate(candidate);
        KeyVault.CandidateKey key = vault.candidateKey(handle, tenant, candidate);
        long primary = Integer.toUnsignedLong(key.keyset().getPrimary().getId());
        int sealed = 0;

        // The candidate's name and e-mail.
        List<Object[]> candidates = handle.createQuery(
                        "select name, email, name_ct, email_ct from interview.candidates where id = :c")
                .bind("c", Rows.uuid(candidate))
                .map((rs, ctx) -> new Object[] {rs.getString("name"), rs.getString("email"), rs.getBytes("name_ct"),
                        rs.getBytes("email_ct")})
                .list();
        for (Object[] row : candidates) {
            byte[] nameCt = (byte[]) row[2];
            byte[] emailCt = (byte[]) row[3];
            if (nameCt != null && FieldCipher.keyIdOf(nameCt) == primary
                    && (emailCt == null || FieldCipher.keyIdOf(emailCt) == primary)) {
                continue;
            }
            byte[] nameAd = FieldCipher.associatedData(FieldCipher.CANDIDATE_NAME, tenant, null, candidate.toString());
            byte[] emailAd = FieldCipher.associatedData(FieldCipher.CANDIDATE_EMAIL, tenant, null,
                    candidate.toString());
            String name;
            String email;
            try {
                name = nameCt == null ? (String) row[0] : readable(key, nameCt, nameAd);
                email = emailCt == null ? (String) row[1] : readable(key, emailCt, emailAd);
            } catch (Unreadable shredded) {
                continue;
            }
            handle.createUpdate("""
                            update interview.candidates set name = null, email = null, name_ct = :name_ct,
                                email_ct = :email_ct where id = :c""")
                    .bind("name_ct", FieldCipher.seal(key.aead(), name, nameAd))
                    .bind("email_ct", FieldCipher.seal(key.aead(), email == null ? "" : email, emailAd))
                    .bind("c", Rows.uuid(candidate))
                    .execute();
            sealed++;
            progress.sealed(candidate, FieldCipher.CANDIDATE_NAME);
        }

        // The transcripts of the candidate's sessions.
        List<Object[]> entries = handle.createQuery("""
                        select e.session_id, e.idempotency_key, e.text, e.text_ct
                        from interview.transcript_entries e
                        join interview.interview_sessions s on s.id = e.session_id and s.tenant_id = e.tenant_id
                        where s.tenant_id = :tenant and s.candidate_id = :c
                        order by e.session_id, e.idempotency_key""")
                .bind("tenant", Rows.uuid(tenant))
                .bind("c", Rows.uuid(candidate))
                .map((rs, ctx) -> new Object[] {Rows.uuid(rs, "session_id"), rs.getString("idempotency_key"),
                        rs.getString("text"), rs.getBytes("text_ct")})
                .list();
        for (Object[] row : entries) {
            byte[] ct = (byte[]) row[3];
            if (ct != null && FieldCipher.keyIdOf(ct) == primary) {
                continue;
            }
            UUID session = (UUID) row[0];
            String entryKey = (String) row[1];
            byte[] ad = FieldCipher.associatedData(FieldCipher.TRANSCRIPT_TEXT, tenant, session, entryKey);
            String text;
            try {
                text = ct == null ? (String) row[2] : readable(key, ct, ad);
            } catch (Unreadable shredded) {
                continue;
            }
            handle.createUpdate("""
                            update interview.transcript_entries set text = null, text_ct = :ct
                            where session_id = :s and idempotency_key = :k""")
                    .bind("ct", FieldCipher.seal(key.aead(), text, ad))
                    .bind("s", Rows.uuid(session))
                    .bind("k", entryKey)
                    .execute();
            sealed++;
            progress.sealed(candidate, FieldCipher.TRANSCRIPT_TEXT);
        }

        // The evaluations of the candidate's sessions.
        List<Object[]> evaluations = handle.createQuery("""
                        select e.id, e.session_id, e.summary, cast(e.scores as text) as scores, e.summary_ct,
                            e.scores_ct
                        from interview.evaluations e
                        join interview.interview_sessions s on s.id = e.session_id and s.tenant_id = e.tenant_id
                        where s.tenant_id = :tenant and s.candidate_id = :c and e.failure_reason is null
                        order by e.id""")
                .bind("tenant", Rows.uuid(tenant))
                .bind("c", Rows.uuid(candidate))
                .map((rs, ctx) -> new Object[] {Rows.uuid(rs, "id"), Rows.uuid(rs, "session_id"),
                        rs.getString("summary"), rs.getString("scores"), rs.getBytes("summary_ct"),
                        rs.getBytes("scores_ct")})
                .list();
        for (Object[] row : evaluations) {
            byte[] summaryCt = (byte[]) row[4];
            byte[] scoresCt = (byte[]) row[5];
            if (summaryCt != null && scoresCt != null && FieldCipher.keyIdOf(summaryCt) == primary
                    && FieldCipher.keyIdOf(scoresCt) == primary) {
                continue;
            }
            UUID id = (UUID) row[0];
            UUID session = (UUID) row[1];
            byte[] summaryAd = FieldCipher.associatedData(FieldCipher.EVALUATION_SUMMARY, tenant, session,
                    id.toString());
            byte[] scoresAd = FieldCipher.associatedData(FieldCipher.EVALUATION_SCORES, tenant, session,
                    id.toString());
            String summary;
            String scores;
            try {
                summary = summaryCt == null ? (String) row[2] : readable(key, summaryCt, summaryAd);
                scores = scoresCt == null ? (String) row[3] : readable(key, scoresCt, scoresAd);
            } catch (Unreadable shredded) {
                continue;
            }
            handle.createUpdate("""
                            update interview.evaluations set summary = null, scores = null, summary_ct = :summary,
                                scores_ct = :scores where id = :id""")
                    .bind("summary", FieldCipher.seal(key.aead(), summary, summaryAd))
                    .bind("scores", FieldCipher.seal(key.aead(), scores, scoresAd))
                    .bind("id", Rows.uuid(id))
                    .execute();
            sealed++;
            progress.sealed(candidate, FieldCipher.EVALUATION_SUMMARY);
        }
        return sealed;
    }

    /**
     * Opens a value for re-sealing; a value that no key opens (its candidate was erased and the row came back from a
     * backup) is left as it is: it stays unreadable, which is the point.
     */
    private static String readable(KeyVault.CandidateKey key, byte[] ciphertext, byte[] associatedData) {
        try {
            return FieldCipher.open(key.aead(), ciphertext, associatedData);
        } catch (DomainException e) {
            throw new Unreadable();
        }
    }

    private static final class Unreadable extends RuntimeException {
        Unreadable() {
            super(null, null, false, false);
        }
    }

    // ---- retiring old keys ----------------------------------------------------------------------------------------

    /**
     * Removes every non-primary key from the tenant's keyset and its candidates' keysets.
     *
     * @throws DomainException {@code crypto.reencryption_unfinished} when the job has not run to the end since the
     *         last rotation; {@code crypto.retire_too_early} while other instances may still hold the old keys
     */
    int retire(UUID tenant) {
        Instant finished = db.inScope(JOB, handle -> handle.createQuery("""
                        select j.finished_at from interview_keys.rotation_jobs j
                        join interview_keys.tenant_keys k on k.tenant_id = j.tenant_id
                        where j.tenant_id = :tenant and j.generation = k.generation""")
                .bind("tenant", Rows.uuid(tenant))
                .map((rs, ctx) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)))
                .findOne().flatMap(o -> o).map(OffsetDateTime::toInstant).orElse(null));
        if (finished == null) {
            throw DomainException.conflict("crypto.reencryption_unfinished",
                    "run the re-encryption to the end before retiring old keys ('keys reencrypt')");
        }
        Instant safe = finished.plus(vault.cacheTtl());
        if (clock.instant().isBefore(safe)) {
            throw DomainException.conflict("crypto.retire_too_early", "other instances may still write with the old"
                    + " keys until " + safe + " (" + vault.cacheTtl().toSeconds() + " s after the re-encryption)");
        }
        List<UUID> candidates = db.inScope(JOB, handle -> handle.createQuery(
                        "select candidate_id from interview_keys.candidate_keys where tenant_id = :tenant"
                                + " order by candidate_id")
                .bind("tenant", Rows.uuid(tenant))
                .map((rs, ctx) -> rs.getObject(1, UUID.class)).list());
        int removed = 0;
        for (UUID candidate : candidates) {
            removed += db.inScope(JOB, handle -> {
                resealCandidate(handle, tenant, candidate); // stragglers written by a slow instance
                KeyVault.TenantKey tenantKey = vault.tenantKey(handle, tenant);
                KeyVault.CandidateKey key = vault.candidateKey(handle, tenant, candidate);
                int before = key.keyset().size();
                handle.createUpdate("update interview_keys.candidate_keys set keyset = :keyset"
                                + " where candidate_id = :candidate")
                        .bind("keyset", vault.wrapCandidateKeyset(tenantKey, primaryOnly(key.keyset()), candidate))
                        .bind("candidate", Rows.uuid(candidate))
                        .execute();
                vault.forgetCandidate(candidate);
                return before - 1;
            });
        }
        removed += db.inScope(JOB, handle -> {
            KeyVault.TenantKey key = lockedTenantKey(handle, tenant);
            handle.createUpdate("update interview_keys.tenant_keys set keyset = :keyset where tenant_id = :tenant")
                    .bind("keyset", vault.wrapTenantKeyset(primaryOnly(key.keyset()), tenant))
                    .bind("tenant", Rows.uuid(tenant))
                    .execute();
            return key.keyset().size() - 1;
        });
        vault.forgetTenant(tenant);
        return removed;
    }

    // ---- the master key -------------------------------------------------------------------------------------------

    /** Re-wraps every tenant keyset not yet under the master key's primary; one transaction each. */
    int rewrapTenantKeys() {
        long primary = vault.master().primaryKeyId();
        List<UUID> tenants = db.inScope(JOB, handle -> handle.createQuery(
                        "select tenant_id from interview_keys.tenant_keys where master_key_id <> :primary"
                                + " order by tenant_id")
                .bind("primary", primary)
                .map((rs, ctx) -> rs.getObject(1, UUID.class)).list());
        for (UUID tenant : tenants) {
            db.inScope(JOB, handle -> {
                KeyVault.TenantKey key = lockedTenantKey(handle, tenant);
                return handle.createUpdate("""
                                update interview_keys.tenant_keys set keyset = :keyset, master_key_id = :primary
                                where tenant_id = :tenant""")
                        .bind("keyset", vault.wrapTenantKeyset(key.keyset(), tenant))
                        .bind("primary", primary)
                        .bind("tenant", Rows.uuid(tenant))
                        .execute();
            });
        }
        return tenants.size();
    }

    /** The master key ids that still wrap a tenant key. */
    List<Long> masterKeyIdsInUse() {
        return db.inScope(JOB, handle -> handle.createQuery(
                        "select distinct master_key_id from interview_keys.tenant_keys order by 1")
                .mapTo(Long.class).list());
    }
}
