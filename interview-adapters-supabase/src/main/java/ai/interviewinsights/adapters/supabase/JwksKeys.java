package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import com.auth0.jwk.Jwk;
import com.auth0.jwk.SigningKeyNotFoundException;
import com.auth0.jwk.UrlJwkProvider;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's public signing keys, from its JWKS: fetched on first use, trusted for {@code ttl}, and fetched
 * again early when a token names a {@code kid} we do not know (a key rotation), but at most once per
 * {@code refreshFloor} so that tokens with made-up kids cannot make us hammer the endpoint.
 *
 * <p>jwks-rsa fetches and parses the document ({@link UrlJwkProvider#getAll()}, {@link Jwk#getPublicKey()}); the
 * caching is ours because jwks-rsa's own layers do not give these semantics: its {@code UrlJwkProvider} keeps the
 * first key set until an unknown kid shows up (so a revoked key would stay trusted), and its cache and rate
 * limiter count lookups per kid rather than fetches of the set. If a refresh fails, the keys we have stay in use.
 *
 * <p>Only a fetch that succeeded counts toward the refetch floor: a failed one (the provider was down) is retried
 * after {@link #FAILURE_BACKOFF}, so that tokens work again within a second of the outage ending rather than a
 * floor later, while a flood of tokens during the outage still reaches the provider at most once a second.
 */
final class JwksKeys {

    private static final Logger LOG = LoggerFactory.getLogger(JwksKeys.class);
    /** How long after a failed fetch the next one may be tried. */
    static final Duration FAILURE_BACKOFF = Duration.ofSeconds(1);

    private final UrlJwkProvider provider;
    private final Clock clock;
    private final Duration ttl;
    private final Duration refreshFloor;

    private Map<String, Jwk> keys = Map.of();
    private Instant fetchedAt;
    private Instant retryAfterFailure;

    JwksKeys(URI jwksUrl, Duration httpTimeout, Clock clock, Duration ttl, Duration refreshFloor) {
        try {
            int timeout = Math.toIntExact(httpTimeout.toMillis());
            this.provider = new UrlJwkProvider(jwksUrl.toURL(), timeout, timeout);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("the JWKS URL is not a URL", e);
        }
        this.clock = clock;
        this.ttl = ttl;
        this.refreshFloor = refreshFloor;
    }

    /**
     * The key with this id.
     *
     * @throws DomainException {@code auth.unknown_key} (UNAUTHENTICATED) when the project has no such key, or
     *         {@code auth.jwks_unavailable} (UNAVAILABLE, retryable) when no key set could be fetched at all
     */
    synchronized Jwk find(String kid) {
        Instant now = clock.instant();
        boolean expired = fetchedAt == null || !now.isBefore(fetchedAt.plus(ttl));
        if (expired && mayFetch(now)) {
            fetch(now);
        }
        Jwk key = keys.get(kid);
        if (key == null && mayFetch(now)) {
            fetch(now);
            key = keys.get(kid);
        }
        if (key == null) {
            if (fetchedAt == null) {
                throw new DomainException(ErrorKind.UNAVAILABLE, "auth.jwks_unavailable",
                        "the signing keys of the identity provider could not be fetched; retry later", true, null);
            }
            throw new DomainException(ErrorKind.UNAUTHENTICATED, "auth.unknown_key",
                    "the access token was signed with a key this project does not have");
        }
        return key;
    }

    private boolean mayFetch(Instant now) {
        boolean floorPassed = fetchedAt == null || !now.isBefore(fetchedAt.plus(refreshFloor));
        boolean backedOff = retryAfterFailure == null || !now.isBefore(retryAfterFailure);
        return floorPassed && backedOff;
    }

    private void fetch(Instant now) {
        try {
            List<Jwk> all = provider.getAll();
            Map<String, Jwk> byKid = new HashMap<>();
            for (Jwk jwk : all) {
                if (jwk.getId() != null) {
                    byKid.put(jwk.getId(), jwk);
                }
            }
            keys = Map.copyOf(byKid);
            fetchedAt = now;
            retryAfterFailure = null;
        } catch (SigningKeyNotFoundException e) {
            retryAfterFailure = now.plus(FAILURE_BACKOFF);
            LOG.warn("fetching the JWKS failed ({}); keeping {} known keys", e.getClass().getSimpleName(), keys.size());
        }
    }
}
