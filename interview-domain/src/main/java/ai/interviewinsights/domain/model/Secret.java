package ai.interviewinsights.domain.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A credential or token held in memory. Its {@link #toString()} never shows the value, so it can sit in records
 * that get logged; {@link #reveal()} is the one, greppable, place where the value is taken out.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a secret must not be empty");
        }
        return new Secret(value);
    }

    public String reveal() {
        return value;
    }

    /** Constant-time comparison, for checking presented tokens. */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && secret.matches(value);
    }

    @Override
    public int hashCode() {
        return 0; // equal secrets must hash alike; a content hash would leak bits of the value
    }

    @Override
    public String toString() {
        return "Secret[***]";
    }
}
