package ai.interviewinsights.adapters.openai.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ephemeral {@code ek_...} keys this endpoint minted: each carries its session and expiry and, like OpenAI's,
 * opens one call only.
 */
final class ClientSecrets {

    private record Minted(ObjectNode session, Instant expiresAt) {
    }

    private final Clock clock;
    private final Map<String, Minted> minted = new ConcurrentHashMap<>();

    ClientSecrets(Clock clock) {
        this.clock = clock;
    }

    String mint(ObjectNode session, Instant expiresAt) {
        String value = Wire.id("ek_");
        minted.put(value, new Minted(session.deepCopy(), expiresAt));
        return value;
    }

    /** The secret is live (not expired, not used). */
    boolean isLive(String value) {
        Minted m = value == null ? null : minted.get(value);
        return m != null && clock.instant().isBefore(m.expiresAt());
    }

    /** Takes the secret for a call: its session, once. Empty when unknown, expired or already used. */
    Optional<ObjectNode> redeem(String value) {
        Minted m = value == null ? null : minted.remove(value);
        if (m == null || !clock.instant().isBefore(m.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(m.session());
    }

    void sweep() {
        Instant now = clock.instant();
        minted.values().removeIf(m -> !now.isBefore(m.expiresAt()));
    }
}
