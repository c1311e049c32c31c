package ai.interviewinsights.adapters.apivideo;

import ai.interviewinsights.domain.model.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer token api.video hands out for the API key ({@code POST /auth/api-key}), kept until about a minute before
 * it expires and then renewed with the refresh token ({@code POST /auth/refresh}), falling back to the API key when
 * the refresh token is refused. After a 401 the token is forgotten altogether and the next call starts again from
 * the API key: a token api.video has just rejected says nothing good about its refresh token.
 *
 * <p>One lock guards the token, so concurrent callers that find it stale renew it once between them.
 */
final class AccessTokens {

    /** Renew this long before the expiry api.video announced, so that no call leaves with a token about to lapse. */
    static final Duration RENEW_BEFORE = Duration.ofSeconds(60);
    /** api.video documents one hour; used only if an answer leaves {@code expires_in} out. */
    private static final long DEFAULT_LIFETIME_SECONDS = 3600;

    private static final Logger LOG = LoggerFactory.getLogger(AccessTokens.class);

    private record Held(Secret access, Secret refresh, Instant expiresAt) {
    }

    private final ApiVideoClient client;
    private final Secret apiKey;
    private final Clock clock;
    private Held held;

    AccessTokens(ApiVideoClient client, Secret apiKey, Clock clock) {
        this.client = client;
        this.apiKey = apiKey;
        this.clock = clock;
    }

    /** A token good for at least {@link #RENEW_BEFORE}, renewed first if needed. */
    synchronized Secret current() {
        if (held != null && clock.instant().isBefore(held.expiresAt().minus(RENEW_BEFORE))) {
            return held.access();
        }
        held = held != null && held.refresh() != null ? refresh(held.refresh()) : logIn();
        return held.access();
    }

    /** api.video answered 401 to this token: drop it (unless another caller already replaced it). */
    synchronized void rejected(Secret token) {
        if (held != null && held.access().equals(token)) {
            held = null;
        }
    }

    /** The tokens held now, for scrubbing messages. */
    synchronized List<Secret> known() {
        List<Secret> known = new ArrayList<>(2);
        if (held != null) {
            known.add(held.access());
            if (held.refresh() != null) {
                known.add(held.refresh());
            }
        }
        return known;
    }

    private Held logIn() {
        ApiVideoClient.Call call = ApiVideoClient.Call.post("authenticate with the API key", "POST /auth/api-key",
                Map.of("apiKey", apiKey.reveal()), "auth", "api-key");
        Instant asked = clock.instant();
        ApiVideoClient.Reply reply = client.anonymous(call);
        if (reply.status() == 400 || reply.status() == 401 || reply.status() == 403) {
            throw ApiVideoErrors.unauthorized(call.operation()); // api.video answers 400 to a wrong key
        }
        LOG.debug("api.video access token obtained with the API key");
        return held(call, client.expectSuccess(call, reply), asked);
    }

    private Held refresh(Secret refreshToken) {
        ApiVideoClient.Call call = ApiVideoClient.Call.post("renew the access token", "POST /auth/refresh",
                Map.of("refreshToken", refreshToken.reveal()), "auth", "refresh").carrying(refreshToken);
        Instant asked = clock.instant();
        ApiVideoClient.Reply reply = client.anonymous(call);
        if (reply.status() >= 400 && reply.status() < 500 && reply.status() != 429) {
            LOG.info("api.video refused the refresh token (HTTP {}); authenticating with the API key",
                    reply.status());
            return logIn();
        }
        LOG.debug("api.video access token renewed with the refresh token");
        return held(call, client.expectSuccess(call, reply), asked);
    }

    private Held held(ApiVideoClient.Call call, ApiVideoClient.Reply reply, Instant asked) {
        Wire.AccessTokenJson token = client.read(call, reply, Wire.AccessTokenJson.class);
        if (token.accessToken() == null || token.accessToken().isBlank()) {
            throw ApiVideoErrors.badResponse(call.operation(), "no access_token");
        }
        long lifetime = token.expiresIn() == null || token.expiresIn() <= 0 ? DEFAULT_LIFETIME_SECONDS
                : token.expiresIn();
        Secret refresh = token.refreshToken() == null || token.refreshToken().isBlank() ? null
                : Secret.of(token.refreshToken());
        // measured from when we asked, not from when the answer arrived: the token is never older than we think
        return new Held(Secret.of(token.accessToken()), refresh, asked.plusSeconds(lifetime));
    }
}
