package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import com.google.crypto.tink.Aead;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.UUID;

/**
 * Seals one personal field of one row with a data key (Tink AEAD, AES-256-GCM, a fresh nonce each time). The
 * associated data names the field, the tenant, the session (where the row belongs to one) and the row, so a
 * ciphertext copied into another row, session or tenant does not open: the caller gets
 * {@code crypto.undecryptable}, never another row's words.
 */
final class FieldCipher {

    /** Fields, as named in the associated data (never change a name: stored ciphertexts are bound to it). */
    static final String CANDIDATE_NAME = "candidates.name";
    static final String CANDIDATE_EMAIL = "candidates.email";
    static final String TRANSCRIPT_TEXT = "transcript_entries.text";
    static final String EVALUATION_SUMMARY = "evaluations.summary";
    static final String EVALUATION_SCORES = "evaluations.scores";

    private FieldCipher() {
    }

    static byte[] associatedData(String field, UUID tenant, UUID session, String row) {
        return context(field, tenant, session).forRow(row);
    }

    /** The associated data of one field of one tenant and session, made once for the many rows of a batch. */
    record Context(byte[] prefix) {
        byte[] forRow(String row) {
            byte[] key = row.getBytes(StandardCharsets.UTF_8);
            byte[] out = java.util.Arrays.copyOf(prefix, prefix.length + key.length);
            System.arraycopy(key, 0, out, prefix.length, key.length);
            return out;
        }
    }

    static Context context(String field, UUID tenant, UUID session) {
        return new Context(("interview-insights/v1\u0000" + field + "\u0000" + tenant + "\u0000"
                + (session == null ? "-" : session.toString()) + "\u0000").getBytes(StandardCharsets.UTF_8));
    }

    static byte[] seal(Aead key, String plaintext, byte[] associatedData) {
        if (plaintext == null) {
            return null;
        }
        try {
            return key.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), associatedData);
        } catch (GeneralSecurityException e) {
            throw new DomainException(ErrorKind.UPSTREAM_FAILED, "crypto.encryption_failed",
                    "a value could not be encrypted", false, null);
        }
    }

    static String open(Aead key, byte[] ciphertext, byte[] associatedData) {
        if (ciphertext == null) {
            return null;
        }
        try {
            return new String(key.decrypt(ciphertext, associatedData), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw undecryptable();
        }
    }

    static DomainException undecryptable() {
        // The cause is left out on purpose: it says nothing an operator can use and nothing a caller may learn.
        return new DomainException(ErrorKind.UPSTREAM_FAILED, "crypto.undecryptable",
                "a stored value could not be decrypted: it was moved from another row, session or tenant, altered, "
                        + "or written under a key that no longer exists", false, null);
    }

    /** The Tink key id a ciphertext was written under (Tink's 5-byte prefix: version byte, then the id). */
    static long keyIdOf(byte[] ciphertext) {
        if (ciphertext == null || ciphertext.length < 5) {
            return -1;
        }
        return ((ciphertext[1] & 0xffL) << 24) | ((ciphertext[2] & 0xffL) << 16) | ((ciphertext[3] & 0xffL) << 8)
                | (ciphertext[4] & 0xffL);
    }
}
