package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.identity.TenantId;
import java.util.List;

/**
 * The operator's handle on the key hierarchy (docs/security.md): rotate a tenant's keys, run the resumable
 * re-encryption job, retire old keys, and re-wrap tenant keys after a master key rotation. Every method is safe to
 * run while the app serves: rows are re-encrypted one candidate per transaction, and readers find the old keys in
 * the keysets until they are retired.
 */
public final class KeyManagement {

    /** What a re-encryption run did. */
    public record Reencryption(TenantId tenant, int candidates, int values) {
    }

    private final KeyRotation rotation;

    KeyManagement(KeyRotation rotation) {
        this.rotation = rotation;
    }

    /**
     * Gives the tenant's key and every candidate key beneath it a new primary key: new writes use it from now on,
     * old rows still decrypt. Follow with {@link #reencrypt}, then {@link #retireOldKeys}.
     *
     * @return the tenant key's new generation
     */
    public int rotateTenantKey(TenantId tenant) {
        return rotation.rotateTenant(tenant.value());
    }

    /**
     * Re-encrypts the tenant's values that are not under their candidate's newest key (and seals plaintext left from
     * before encryption). Resumes where an interrupted run stopped; running it again is harmless.
     */
    public Reencryption reencrypt(TenantId tenant) {
        KeyRotation.Report report = rotation.reencrypt(tenant.value());
        return new Reencryption(tenant, report.candidates(), report.values());
    }

    /**
     * Finishes every re-encryption a rotation started and nobody finished: what the app runs in the background, so
     * that a rotation completes (and a job killed half-way resumes) without the operator.
     */
    public List<Reencryption> resumeUnfinished() {
        return rotation.resumeUnfinished().stream()
                .map(r -> new Reencryption(new TenantId(r.tenant()), r.candidates(), r.values())).toList();
    }

    /** {@link #reencrypt} for every tenant. */
    public List<Reencryption> reencryptAll() {
        return rotation.reencryptAll().stream()
                .map(r -> new Reencryption(new TenantId(r.tenant()), r.candidates(), r.values())).toList();
    }

    /**
     * Removes the tenant's old keys once the re-encryption has finished and other instances' key caches have
     * expired.
     *
     * @return how many keys were removed
     * @throws ai.interviewinsights.domain.model.DomainException {@code crypto.reencryption_unfinished},
     *         {@code crypto.retire_too_early}
     */
    public int retireOldKeys(TenantId tenant) {
        return rotation.retire(tenant.value());
    }

    /** After a master key rotation: re-wraps every tenant key under the master key's primary. */
    public int rewrapTenantKeys() {
        return rotation.rewrapTenantKeys();
    }

    /** The master key ids still wrapping a tenant key (retire the others from the master keyset). */
    public List<Long> masterKeyIdsInUse() {
        return rotation.masterKeyIdsInUse();
    }

    @Override
    public String toString() {
        return "KeyManagement";
    }
}
