package ai.interviewinsights.app.tokens;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import ai.interviewinsights.domain.port.out.AccessTokenVerifier;
import ai.interviewinsights.domain.port.out.SessionTokenIssuer;
import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens bound to one interview session: the candidate's (carried in the WebSocket URL) and the runner's (for the
 * control plane's internal API). They are HS256 JWTs, each signed with a key derived from the master secret, the
 * role and the session id ({@code HMAC-SHA256(master, role ":" session)}). A runner is given only the candidate-key
 * of its own session: it can check its clients' tokens, but can mint nothing for any other session, nor a runner
 * token for its own.
 */
public final class SessionTokens implements SessionTokenIssuer, AccessTokenVerifier {

    public static final String ISSUER = "interview-insights";
    static final String AUDIENCE = "interview-session";
    private static final long LEEWAY_SECONDS = 5;
    /**
     * The longest a session token may live: an interview's longest budget (60 min) and the margins, rounded up. A
     * runner holds its session's candidate key (to verify candidate tokens), so it could sign candidate tokens
     * itself; whatever it signs is bounded by this, never "forever".
     */
    static final java.time.Duration MAX_LIFETIME = java.time.Duration.ofHours(4);

    private final byte[] master;
    private final Clock clock;

    public SessionTokens(Secret master, Clock clock) {
        this.master = master.reveal().getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    @Override
    public IssuedToken issue(Grant grant) {
        Instant now = clock.instant();
        String token = JWT.create()
                .withIssuer(ISSUER)
                .withAudience(AUDIENCE)
                .withSubject(grant.session().toString())
                .withClaim("role", grant.role().name().toLowerCase(Locale.ROOT))
                .withClaim("tenant_id", grant.tenant().toString())
                .withClaim("session_id", grant.session().toString())
                .withIssuedAt(now)
                .withExpiresAt(grant.expiresAt())
                .withJWTId(UUID.nameUUIDFromBytes((grant.session() + "/" + now.toEpochMilli() + "/"
                        + System.nanoTime()).getBytes(StandardCharsets.UTF_8)).toString())
                .sign(Algorithm.HMAC256(key(grant.role(), grant.session())));
        return new IssuedToken(Secret.of(token), grant.expiresAt());
    }

    @Override
    public Secret clientVerificationKey(TenantId tenant, SessionId session) {
        return Secret.of(Base64.getUrlEncoder().withoutPadding().encodeToString(key(Role.CANDIDATE, session)));
    }

    /** Verifies a candidate's or runner's token as the control plane does (it can derive every session's keys). */
    @Override
    public Principal verify(String bearerToken) {
        Principal recent = verifiedRecently(bearerToken);
        if (recent != null) {
            return recent;
        }
        DecodedJWT unverified = decode(bearerToken);
        Role role = role(unverified);
        SessionId session = session(unverified);
        Principal principal = verified(bearerToken, key(role, session), role, session, clock);
        Instant expiresAt = unverified.getExpiresAtAsInstant();
        synchronized (recentlyVerified) {
            recentlyVerified.put(bearerToken, new Verified(principal, expiresAt.plusSeconds(LEEWAY_SECONDS)));
        }
        return principal;
    }

    /**
     * The principal of a token this verifier accepted before and that has not expired since, or null (then
     * {@link #verify} decides). Why (decision 26, amended): a runner sends the same token with every transcript
     * write, and each write decoded it three times and computed two HMACs (the session's key, then the signature) -
     * about 5% of the control plane's time in a write. What the full check decides depends only on the token's text,
     * the master secret and the time; of these only expiry can turn an accepted token down later (its issue time
     * and not-before only move further into the past, its lifetime is fixed), so a token accepted before is
     * accepted again until its expiry plus the same leeway, and refused after it by the full check, with its code.
     * Only accepted tokens are kept, at most {@value #RECENT_TOKENS} (least recently used out), so a caller cannot
     * fill it without valid tokens. The tokens are held in memory as every request's header already is; nothing
     * here is logged or printed.
     */
    public Principal verifiedRecently(String bearerToken) {
        Verified hit;
        synchronized (recentlyVerified) {
            hit = recentlyVerified.get(bearerToken);
        }
        if (hit == null) {
            return null;
        }
        if (clock.instant().isAfter(hit.acceptedUntil())) {
            synchronized (recentlyVerified) {
                recentlyVerified.remove(bearerToken);
            }
            return null;
        }
        return hit.principal();
    }

    /** How many accepted tokens are kept (a control plane serves a few hundred live sessions per machine). */
    static final int RECENT_TOKENS = 4_096;

    private record Verified(Principal principal, Instant acceptedUntil) {
    }

    private final java.util.LinkedHashMap<String, Verified> recentlyVerified = new java.util.LinkedHashMap<>(64,
            0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Verified> eldest) {
            return size() > RECENT_TOKENS;
        }
    };

    /** How many accepted tokens are kept now (for the tests of the bound). */
    int recentlyVerifiedCount() {
        synchronized (recentlyVerified) {
            return recentlyVerified.size();
        }
    }

    /** Whether a token claims to be one of ours (and so must be verified here, not by Supabase). */
    public static boolean isSessionToken(String bearerToken) {
        try {
            return ISSUER.equals(JWT.decode(bearerToken).getIssuer());
        } catch (JWTDecodeException e) {
            return false;
        }
    }

    /**
     * How a runner checks the browser's token with the key it was given: a candidate token of exactly its own
     * session and tenant.
     */
    public static Principal verifyClientToken(String bearerToken, Secret clientKey, SessionId session,
                                              TenantId tenant, Clock clock) {
        byte[] key;
        try {
            key = Base64.getUrlDecoder().decode(clientKey.reveal());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("CLIENT_TOKEN_KEY is not base64url", e);
        }
        DecodedJWT unverified = decode(bearerToken);
        if (role(unverified) != Role.CANDIDATE || !session.equals(session(unverified))) {
            throw unauthenticated("auth.wrong_session", "this token is not for this interview");
        }
        Principal principal = verified(bearerToken, key, Role.CANDIDATE, session, clock);
        if (!principal.tenant().equals(tenant)) {
            throw unauthenticated("auth.wrong_session", "this token is not for this interview");
        }
        return principal;
    }

    private static Principal verified(String token, byte[] key, Role role, SessionId session, Clock clock) {
        try {
            var verification = (com.auth0.jwt.JWTVerifier.BaseVerification) JWT.require(Algorithm.HMAC256(key))
                    .withIssuer(ISSUER)
                    .withAudience(AUDIENCE)
                    .withClaim("session_id", session.toString())
                    .acceptLeeway(LEEWAY_SECONDS);
            DecodedJWT jwt = verification.build(clock).verify(token);
            if (jwt.getIssuedAtAsInstant() == null || jwt.getExpiresAtAsInstant() == null
                    || jwt.getIssuedAtAsInstant().isAfter(clock.instant().plusSeconds(LEEWAY_SECONDS))
                    || java.time.Duration.between(jwt.getIssuedAtAsInstant(), jwt.getExpiresAtAsInstant())
                    .compareTo(MAX_LIFETIME) > 0) {
                throw unauthenticated("auth.lifetime_not_allowed", "the token must say when it was issued and live "
                        + "at most " + MAX_LIFETIME.toHours() + " h");
            }
            TenantId tenant = TenantId.of(jwt.getClaim("tenant_id").asString());
            return Principal.sessionBound(tenant, new UserId(session.value()), role, session);
        } catch (TokenExpiredException e) {
            throw unauthenticated("auth.expired", "the token has expired");
        } catch (AlgorithmMismatchException e) {
            throw unauthenticated("auth.algorithm_not_allowed", "the token's algorithm is not accepted");
        } catch (SignatureVerificationException e) {
            throw unauthenticated("auth.bad_signature", "the token's signature is not valid");
        } catch (DomainException e) {
            throw "auth.lifetime_not_allowed".equals(e.code()) ? e
                    : unauthenticated("auth.invalid_claims", "the token's claims are not valid");
        } catch (JWTVerificationException e) {
            throw unauthenticated("auth.invalid_claims", "the token's claims are not valid");
        }
    }

    private static DecodedJWT decode(String token) {
        try {
            DecodedJWT jwt = JWT.decode(token);
            if (!"HS256".equals(jwt.getAlgorithm())) {
                throw unauthenticated("auth.algorithm_not_allowed", "the token's algorithm is not accepted");
            }
            return jwt;
        } catch (JWTDecodeException e) {
            throw unauthenticated("auth.malformed", "the token is not a well-formed JWT");
        }
    }

    private static Role role(DecodedJWT jwt) {
        String role = jwt.getClaim("role").asString();
        if ("candidate".equals(role)) {
            return Role.CANDIDATE;
        }
        if ("runner".equals(role)) {
            return Role.RUNNER;
        }
        throw unauthenticated("auth.invalid_claims", "the token's role is not valid");
    }

    private static SessionId session(DecodedJWT jwt) {
        try {
            return SessionId.of(jwt.getClaim("session_id").asString());
        } catch (DomainException e) {
            throw unauthenticated("auth.invalid_claims", "the token names no valid session");
        }
    }

    private byte[] key(Role role, SessionId session) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            return mac.doFinal((role.name().toLowerCase(Locale.ROOT) + ":" + session)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    static DomainException unauthenticated(String code, String message) {
        return new DomainException(ErrorKind.UNAUTHENTICATED, code, message);
    }

    @Override
    public String toString() {
        return "SessionTokens[***]";
    }
}
