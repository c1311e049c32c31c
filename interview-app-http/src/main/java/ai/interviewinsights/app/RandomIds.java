package ai.interviewinsights.app;

import ai.interviewinsights.domain.port.out.IdGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/** Production randomness: random UUIDs and 192-bit URL-safe tokens from a {@link SecureRandom}. */
final class RandomIds implements IdGenerator {

    private final SecureRandom random = new SecureRandom();

    @Override
    public UUID newId() {
        return UUID.randomUUID();
    }

    @Override
    public String newToken() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
