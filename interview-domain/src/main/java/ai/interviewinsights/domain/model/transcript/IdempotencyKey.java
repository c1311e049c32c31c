package ai.interviewinsights.domain.model.transcript;

import ai.interviewinsights.domain.model.DomainException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Identifies a transcript entry across retries and sources: OpenAI's conversation item id where there is one
 * (the sideband and the browser then name the same entry alike), otherwise a key the client chose. The store keeps
 * one entry per session and key, so a retried or double-delivered entry is stored once.
 */
public record IdempotencyKey(String value) implements Comparable<IdempotencyKey> {

    /** The longest key. */
    static final int MAX_LENGTH = 128;

    public IdempotencyKey {
        if (!wellFormed(value)) {
            throw DomainException.invalid("invalid.idempotency_key",
                    "an idempotency key is 1 to 128 characters of [A-Za-z0-9_:.-]");
        }
    }

    public static IdempotencyKey of(String value) {
        return new IdempotencyKey(value);
    }

    /**
     * A key for an entry that arrived without one (the design documents' {@code {text, speaker, timestamp}}):
     * derived from its content, so the same entry sent twice still gets the same key.
     */
    public static IdempotencyKey derived(Speaker speaker, Instant spokenAt, String text) {
        return digest(speaker.wireName() + '\n' + spokenAt + '\n' + text);
    }

    /**
     * A key for an entry that arrived with neither a key nor a timestamp: from speaker and words alone, so the same
     * entry sent twice gets the same key (the time it arrived must not make it another entry).
     */
    public static IdempotencyKey derived(Speaker speaker, String text) {
        return digest(speaker.wireName() + "\n-\n" + text);
    }

    private static IdempotencyKey digest(String content) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest(content.getBytes(StandardCharsets.UTF_8));
            return new IdempotencyKey("client:" + HexFormat.of().formatHex(digest, 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Whether {@code value} is 1 to 128 characters of {@code [A-Za-z0-9_:.-]}: a loop, not a regular expression,
     * because every transcript entry's key is checked on the runner and again on the control plane (decision 26).
     */
    static boolean wellFormed(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '_' || c == ':' || c == '.' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(IdempotencyKey other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
