package ai.interviewinsights.domain.model.realtime;

import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.Secret;
import java.time.Instant;

/**
 * A short-lived, single-use secret with which a browser may open one Realtime call itself (the browser-direct
 * variant). Mint one per connection: OpenAI rejects a reused one.
 */
public record ClientSecret(Secret value, Instant expiresAt) {

    public ClientSecret {
        Require.present(value, "client_secret");
        Require.present(expiresAt, "expires_at");
    }
}
