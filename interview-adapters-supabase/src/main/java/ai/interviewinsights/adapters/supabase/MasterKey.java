package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.Secret;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The top of the key hierarchy: the key-encryption key that wraps every tenant key. It never reaches the database;
 * the operator keeps it (an environment secret, {@code ENCRYPTION_MASTER_KEY}) and backs it up apart from the
 * database. It is a Tink AEAD keyset (AES-256-GCM), written as the base64 of Tink's JSON keyset format, so it can
 * hold several keys: the primary one wraps, every listed one unwraps, which is how the master key is rotated
 * without downtime ({@link #rotated()}, then re-wrap, then {@link #withoutRetiredKeys()}).
 *
 * <p>A KMS can take its place later: Tink's {@code KmsClient} hands out an {@link Aead} for a key URI, and this
 * type only needs an {@link Aead} (see docs/decisions/0010-keys-stay-in-the-supabase-adapter.md). Its
 * {@link #toString()} shows key ids only, never key material.
 */
public final class MasterKey {

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final KeysetHandle keyset;
    private final Aead aead;

    private MasterKey(KeysetHandle keyset) {
        this.keyset = keyset;
        try {
            this.aead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw invalid();
        }
    }

    /** A new master key with one AES-256-GCM key. */
    public static MasterKey generate() {
        try {
            return new MasterKey(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink could not generate a key", e);
        }
    }

    /**
     * Reads a master key from its exported form (base64 of a Tink JSON AEAD keyset).
     *
     * @throws DomainException {@code crypto.master_key_invalid}; the message never contains the value
     */
    public static MasterKey parse(Secret encoded) {
        try {
            String json = new String(Base64.getMimeDecoder().decode(encoded.reveal().strip()), StandardCharsets.UTF_8);
            KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
            return new MasterKey(handle);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static DomainException invalid() {
        return DomainException.invalid("crypto.master_key_invalid",
                "the master key is not a Tink AES-GCM keyset in base64 (generate one with 'keys generate-master')");
    }

    /** The exported form, for the operator to store (the one place its material leaves memory). */
    public Secret export() {
        try {
            String json = TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
            return Secret.of(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink could not serialise the master key", e);
        }
    }

    /** This master key plus a new primary key: new wrapping uses the new key, the old ones still unwrap. */
    public MasterKey rotated() {
        try {
            return new MasterKey(KeysetHandle.newBuilder(keyset)
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                            .withRandomId().makePrimary())
                    .build());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink could not add a key", e);
        }
    }

    /** This master key with its primary key only (after every tenant key has been re-wrapped under it). */
    public MasterKey withoutRetiredKeys() {
        try {
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(keyset);
            for (int i = builder.size() - 1; i >= 0; i--) {
                if (!builder.getAt(i).isPrimary()) {
                    builder.deleteAt(i);
                }
            }
            return new MasterKey(builder.build());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink could not remove a key", e);
        }
    }

    /** The Tink id of the key that wraps from now on. */
    public long primaryKeyId() {
        return Integer.toUnsignedLong(keyset.getPrimary().getId());
    }

    /** The Tink ids of every key that can unwrap. */
    public List<Long> keyIds() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < keyset.size(); i++) {
            ids.add(Integer.toUnsignedLong(keyset.getAt(i).getId()));
        }
        return ids;
    }

    Aead aead() {
        return aead;
    }

    @Override
    public String toString() {
        return "MasterKey[primary=" + primaryKeyId() + ", keys=" + keyset.size() + "]";
    }
}
