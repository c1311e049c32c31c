package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/**
 * The data keys beneath the master key: one Tink AEAD keyset per tenant (wrapped by the master key) and one per
 * candidate (wrapped by its tenant's key), stored in schema {@code interview_keys}. Everything about a candidate
 * (name, e-mail, transcripts, evaluations) is sealed with the candidate's key, so destroying that one key row
 * erases the candidate from every copy of the data rows; destroying a tenant's key erases the whole tenant.
 *
 * <p>Keys are read in the caller's transaction, under its role and claims (row-level security guards the key rows
 * as it guards the data), and unwrapped keys are kept in memory for a short while ({@code cacheTtl}) so that an
 * append of transcript entries costs no extra round trip. A rotation by another instance is therefore seen within
 * that time; retiring old keys waits for it (see {@link KeyRotation}).
 */
final class KeyVault {

    private static final int CACHE_LIMIT = 50_000;

    record TenantKey(UUID tenant, KeysetHandle keyset, Aead aead, int generation) {
    }

    record CandidateKey(UUID tenant, UUID candidate, KeysetHandle keyset, Aead aead, int generation) {
    }

    private record Timed<T>(T value, Instant loadedAt) {
    }

    private final MasterKey master;
    private final Duration cacheTtl;
    private final Clock clock;
    private final Map<UUID, Timed<TenantKey>> tenants = new ConcurrentHashMap<>();
    private final Map<UUID, Timed<CandidateKey>> candidates = new ConcurrentHashMap<>();
    // A session's candidate never changes, so this needs no expiry (only a bound).
    private final Map<UUID, UUID> sessionCandidates = new ConcurrentHashMap<>();

    KeyVault(MasterKey master, Duration cacheTtl, Clock clock) {
        this.master = master;
        this.cacheTtl = cacheTtl;
        this.clock = clock;
    }

    MasterKey master() {
        return master;
    }

    Duration cacheTtl() {
        return cacheTtl;
    }

    // ---- tenant keys ----------------------------------------------------------------------------------------------

    /** The tenant's key, created on first use. */
    TenantKey tenantKey(Handle handle, UUID tenant) {
        Timed<TenantKey> cached = tenants.get(tenant);
        if (fresh(cached)) {
            return cached.value();
        }
        Optional<TenantKey> stored = loadTenantKey(handle, tenant);
        TenantKey key = stored.orElseGet(() -> {
            KeysetHandle keyset = generate();
            handle.createUpdate("""
                            insert into interview_keys.tenant_keys (tenant_id, keyset, master_key_id)
                            values (:tenant, :keyset, :master) on conflict do nothing""")
                    .bind("tenant", Rows.uuid(tenant))
                    .bind("keyset", wrapTenantKeyset(keyset, tenant))
                    .bind("master", master.primaryKeyId())
                    .execute();
            // Another transaction may have created it first: theirs wins.
            return loadTenantKey(handle, tenant).orElseThrow(SqlErrors::forbidden);
        });
        remember(tenants, tenant, key);
        return key;
    }

    private Optional<TenantKey> loadTenantKey(Handle handle, UUID tenant) {
        return handle.createQuery("select keyset, generation from interview_keys.tenant_keys where tenant_id = :tenant")
                .bind("tenant", Rows.uuid(tenant))
                .map((rs, ctx) -> unwrapTenantKey(tenant, rs.getBytes("keyset"), rs.getInt("generation")))
                .findOne();
    }

    TenantKey unwrapTenantKey(UUID tenant, byte[] wrapped, int generation) {
        try {
            KeysetHandle keyset = TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, master.aead(),
                    tenantKeyContext(tenant));
            return new TenantKey(tenant, keyset, keyset.getPrimitive(RegistryConfiguration.get(), Aead.class),
                    generation);
        } catch (GeneralSecurityException e) {
            throw new DomainException(ErrorKind.UNAVAILABLE, "crypto.master_key_mismatch",
                    "a tenant key cannot be unwrapped with the configured master key (a wrong or retired "
                            + "ENCRYPTION_MASTER_KEY?)", false, null);
        }
    }

    byte[] wrapTenantKeyset(KeysetHandle keyset, UUID tenant) {
        try {
            return TinkProtoKeysetFormat.serializeEncryptedKeyset(keyset, master.aead(), tenantKeyContext(tenant));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink could not wrap a tenant key", e);
        }
    }

    private static byte[] tenantKeyContext(UUID tenant) {
        return ("interview-insights/v1\u0000tenant-key\u0000" + tenant).getBytes(StandardCharsets.UTF_8);
    }

    // ---- candidate keys -------------------------------------------------------------------------------------------

    /** The candidate's key, created on first use (when a candidate is stored, or found without one). */
    CandidateKey candidateKey(Handle handle, UUID tenant, UUID candidate) {
        Timed<CandidateKey> cached = candidates.get(candidate);
        if (fresh(cached) && cached.value().tenant().equals(tenant)) {
            return cached.value();
        }
        TenantKey tenantKey = tenantKey(handle, tenant);
        Optional<CandidateKey> stored = loadCandidateKeys(handle, tenantKey, List.of(candidate)).values().stream()
                .findFirst();
        CandidateKey key = stored.orElseGet(() -> {
            KeysetHandle keyset = generate();
            handle.createUpdate("""
                            insert into interview_keys.candidate_keys (candidate_id, tenant_id, keyset, generation)
                            values (:candidate, :tenant, :keyset, :generation) on conflict do nothing""")
                    .bind("candidate", Rows.uuid(candidate))
                    .bind("tenant", Rows.uuid(tenant))
                    .bind("keyset", wrapCandidateKeyset(tenantKey, keyset, candidate))
                    .bind("generation", tenantKey.generation())
                    .execute();
            return loadCandidateKeys(handle, tenantKey, List.of(candidate)).values().stream().findFirst()
                    .orElseThrow(SqlErrors::forbidden);
        });
        remember(candidates, candidate, key);
        return key;
    }

    /**
     * The keys of the given candidates of one tenant that exist (an erased candidate has none), in one query for
     * those not in memory.
     */
    Map<UUID, CandidateKey> existingCandidateKeys(Handle handle, UUID tenant, Collection<UUID> ids) {
        Map<UUID, CandidateKey> out = new HashMap<>();
        List<UUID> missing = new java.util.ArrayList<>();
        for (UUID id : ids) {
            Timed<CandidateKey> cached = candidates.get(id);
            if (fresh(cached) && cached.value().tenant().equals(tenant)) {
                out.put(id, cached.value());
            } else {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            Optional<TenantKey> tenantKey = tenants.containsKey(tenant) && fresh(tenants.get(tenant))
                    ? Optional.of(tenants.get(tenant).value()) : loadTenantKey(handle, tenant);
            if (tenantKey.isPresent()) {
                remember(tenants, tenant, tenantKey.get());
                loadCandidateKeys(handle, tenantKey.get(), missing).forEach((id, key) -> {
                    remember(candidates, id, key);
                    out.put(id, key);
                });
            }
        }
        return out;
    }

    private Map<UUID, CandidateKey> loadCandidateKeys(Handle handle, TenantKey tenantKey, Collection<UUID> ids) {
        Map<UUID, CandidateKey> out = new HashMap<>();
        handle.createQuery("""
                        select candidate_id, keyset, generation from interview_keys.candidate_keys
                        where tenant_id = :tenant and candidate_id = any(:ids)""")
                .bind("tenant", Rows.uuid(tenantKey.tenant()))
                .bind("ids", Rows.uuidArray(ids))
                .map((rs, ctx) -> unwrapCandidateKey(tenantKey, Rows.uuid(rs, "candidate_id"), rs.getBytes("keyset"),
                        rs.getInt("generation")))
                .forEach(key -> out.put(key.candidate(), key));
        return out;
    }

    CandidateKey unwrapCandidateKey(TenantKey tenantKey, UUID candidate, byte[] wrapped, int generation) {
        try {
            KeysetHandle keyset = TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, tenantKey.aead(),
                    candidateKeyContext(tenantKey.tenant(), candidate));
            return new CandidateKey(tenantKey.tenant(), candidate, keyset,
                    keyset.getPrimitive(RegistryConfiguration.get(), Aead.class), generation);
        } catch (GeneralSecurityException e) {
            throw FieldCipher.undecryptable();
        }
    }

    byte[] wrapCandidateKeyset(TenantKey tenantKey, KeysetHandle keyset, UUID candidate) {
        try {
            return TinkProtoKeysetFormat.serializeEncryptedKeyset(keyset, tenantKey.aead(),
                    candidateKeyContext(tenantKey.tenant(), candidate));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink could not wrap a candidate key", e);
        }
    }

    private static byte[] candidateKeyContext(UUID tenant, UUID candidate) {
        return ("interview-insights/v1\u0000candidate-key\u0000" + tenant + "\u0000" + candidate)
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The key of the candidate a session is about: for writing ({@code create}), created when missing; for reading,
     * empty when the candidate has none (erased). Empty too when the scope cannot see the session.
     */
    Optional<CandidateKey> sessionKey(Handle handle, UUID tenant, UUID session, boolean create) {
        UUID candidate = sessionCandidates.get(session);
        if (candidate == null) {
            Optional<UUID> found = handle.createQuery("""
                            select candidate_id from interview.interview_sessions
                            where id = :session and tenant_id = :tenant""")
                    .bind("session", Rows.uuid(session))
                    .bind("tenant", Rows.uuid(tenant))
                    .map((rs, ctx) -> Rows.uuid(rs, "candidate_id"))
                    .findOne();
            if (found.isEmpty()) {
                return Optional.empty();
            }
            candidate = found.get();
            if (sessionCandidates.size() > CACHE_LIMIT) {
                sessionCandidates.clear();
            }
            sessionCandidates.put(session, candidate);
        }
        if (create) {
            return Optional.of(candidateKey(handle, tenant, candidate));
        }
        return Optional.ofNullable(existingCandidateKeys(handle, tenant, List.of(candidate)).get(candidate));
    }

    /**
     * The key of the session's candidate when memory holds it, fresh, for this tenant; empty otherwise (then ask
     * {@link #sessionKey} in a transaction). Costs no round trip: what lets a transcript append be one statement.
     */
    Optional<CandidateKey> cachedSessionKey(UUID tenant, UUID session) {
        UUID candidate = sessionCandidates.get(session);
        if (candidate == null) {
            return Optional.empty();
        }
        Timed<CandidateKey> cached = candidates.get(candidate);
        return fresh(cached) && cached.value().tenant().equals(tenant) ? Optional.of(cached.value())
                : Optional.empty();
    }

    // ---- cache ----------------------------------------------------------------------------------------------------

    /** Forgets a candidate's key (erased or re-keyed here). */
    void forgetCandidate(UUID candidate) {
        candidates.remove(candidate);
        sessionCandidates.values().removeIf(candidate::equals);
    }

    /** Forgets a tenant's key and every candidate key beneath it. */
    void forgetTenant(UUID tenant) {
        tenants.remove(tenant);
        candidates.values().removeIf(timed -> timed.value().tenant().equals(tenant));
    }

    private boolean fresh(Timed<?> timed) {
        return timed != null && clock.instant().isBefore(timed.loadedAt().plus(cacheTtl));
    }

    private <T> void remember(Map<UUID, Timed<T>> cache, UUID id, T value) {
        if (cacheTtl.isZero()) {
            return;
        }
        if (cache.size() > CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(id, new Timed<>(value, clock.instant()));
    }

    static KeysetHandle generate() {
        try {
            return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink could not generate a key", e);
        }
    }

    @Override
    public String toString() {
        return "KeyVault[" + master + "]";
    }
}
