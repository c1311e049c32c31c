package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import ai.interviewinsights.domain.port.out.AccessTokenVerifier;
import com.auth0.jwk.InvalidPublicKeyException;
import com.auth0.jwk.Jwk;
import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;

/**
 * Verifies Supabase Auth access tokens of the hiring company's staff and says whose they are.
 *
 * <p>Accepted: HS256 signed with the project's legacy JWT secret (only if one is configured), and ES256 or RS256
 * signed with a key of the project's JWKS, named by the token's {@code kid}. The algorithm is taken from a fixed
 * list and the key must match it, so {@code alg: none} and the classic confusion (an HS256 token "signed" with the
 * public key as the HMAC secret) are refused before any signature is checked. Then: signature, {@code exp} and
 * {@code nbf} with a small leeway, {@code iss} = {@code <SUPABASE_URL>/auth/v1}, {@code aud} contains
 * {@code authenticated}, a UUID {@code sub}, and in {@code app_metadata} (which only the server can write) the
 * {@code tenant_id} and a staff {@code tenant_role} ({@code admin} or {@code interviewer}).
 *
 * <p>Every refusal is a {@link DomainException} of kind UNAUTHENTICATED whose code names the reason
 * ({@code auth.malformed}, {@code auth.algorithm_not_allowed}, {@code auth.unknown_key}, {@code auth.bad_signature},
 * {@code auth.expired}, {@code auth.not_yet_valid}, {@code auth.wrong_issuer}, {@code auth.wrong_audience},
 * {@code auth.missing_tenant}, {@code auth.missing_role}, {@code auth.role_not_allowed}, ...). Messages never
 * repeat the token. Thread-safe.
 */
public final class SupabaseAccessTokenVerifier implements AccessTokenVerifier {

    static final String AUDIENCE = "authenticated";

    private final SupabaseAuthConfig config;
    private final Algorithm legacy;
    private final JwksKeys jwks;

    private SupabaseAccessTokenVerifier(SupabaseAuthConfig config) {
        this.config = config;
        this.legacy = config.legacySecret().map(secret -> Algorithm.HMAC256(secret.reveal())).orElse(null);
        this.jwks = config.asymmetricKeys() ? new JwksKeys(config.jwksUrl(), config.httpTimeout(), config.clock(),
                config.jwksCacheTtl(), config.jwksRefreshFloor()) : null;
    }

    public static SupabaseAccessTokenVerifier create(SupabaseAuthConfig config) {
        return new SupabaseAccessTokenVerifier(config);
    }

    @Override
    public Principal verify(String bearerToken) {
        if (bearerToken == null || bearerToken.isBlank()) {
            throw refused("auth.missing_token", "no access token was presented");
        }
        DecodedJWT unverified;
        try {
            unverified = JWT.decode(bearerToken.strip());
        } catch (JWTDecodeException e) {
            throw refused("auth.malformed", "the access token is not a well-formed JWT");
        }
        DecodedJWT token = checkSignatureAndClaims(unverified, algorithmFor(unverified));
        return principalOf(token);
    }

    private Algorithm algorithmFor(DecodedJWT token) {
        String alg = token.getAlgorithm() == null ? "" : token.getAlgorithm();
        switch (alg) {
            case "HS256":
                if (legacy == null) {
                    throw refused("auth.algorithm_not_allowed",
                            "HS256 access tokens are not accepted: this project verifies asymmetric keys only");
                }
                return legacy;
            case "ES256": {
                PublicKey key = publicKey(token, "EC", alg);
                if (!(key instanceof ECPublicKey ec)) {
                    throw refused("auth.algorithm_not_allowed", "the token's algorithm does not match its key");
                }
                return Algorithm.ECDSA256(ec, null);
            }
            case "RS256": {
                PublicKey key = publicKey(token, "RSA", alg);
                if (!(key instanceof RSAPublicKey rsa)) {
                    throw refused("auth.algorithm_not_allowed", "the token's algorithm does not match its key");
                }
                return Algorithm.RSA256(rsa, null);
            }
            default:
                throw refused("auth.algorithm_not_allowed", "access tokens must be signed with HS256, ES256 or RS256");
        }
    }

    private PublicKey publicKey(DecodedJWT token, String keyType, String alg) {
        if (jwks == null) {
            // No key set exists to look in (the local default): a verdict on the token, not an outage.
            throw refused("auth.algorithm_not_allowed",
                    "only HS256 access tokens signed with this deployment's own secret are accepted");
        }
        String kid = token.getKeyId();
        if (kid == null || kid.isBlank()) {
            throw refused("auth.unknown_key", "the access token does not name its signing key (kid)");
        }
        Jwk jwk = jwks.find(kid);
        if (!keyType.equals(jwk.getType()) || jwk.getAlgorithm() != null && !alg.equals(jwk.getAlgorithm())
                || jwk.getUsage() != null && !"sig".equals(jwk.getUsage())) {
            throw refused("auth.algorithm_not_allowed", "the token's algorithm does not match its key");
        }
        try {
            return jwk.getPublicKey();
        } catch (InvalidPublicKeyException e) {
            throw refused("auth.unknown_key", "the project's signing key could not be read");
        }
    }

    private DecodedJWT checkSignatureAndClaims(DecodedJWT token, Algorithm algorithm) {
        // build(Clock) lives on the implementation class only; it is how the injected clock reaches exp/nbf.
        JWTVerifier verifier = ((JWTVerifier.BaseVerification) JWT.require(algorithm)
                .withIssuer(config.issuer())
                .withAudience(AUDIENCE)
                .withClaimPresence("sub")
                .withClaimPresence("exp")
                .acceptLeeway(config.leeway().toSeconds()))
                .build(config.clock());
        try {
            return verifier.verify(token);
        } catch (AlgorithmMismatchException e) {
            throw refused("auth.algorithm_not_allowed", "the token's algorithm does not match its key");
        } catch (SignatureVerificationException e) {
            throw refused("auth.bad_signature", "the access token's signature is not valid");
        } catch (TokenExpiredException e) {
            throw refused("auth.expired", "the access token has expired");
        } catch (MissingClaimException e) {
            throw refused("auth.missing_claim", "the access token lacks the " + e.getClaimName() + " claim");
        } catch (IncorrectClaimException e) {
            throw switch (e.getClaimName()) {
                case "iss" -> refused("auth.wrong_issuer", "the access token was issued by another project");
                case "aud" -> refused("auth.wrong_audience", "the access token is not meant for signed-in users");
                case "nbf", "iat" -> refused("auth.not_yet_valid", "the access token is not valid yet");
                default -> refused("auth.invalid_claim", "the access token has an invalid " + e.getClaimName());
            };
        } catch (JWTVerificationException e) {
            throw refused("auth.invalid", "the access token could not be verified");
        }
    }

    private static Principal principalOf(DecodedJWT token) {
        UserId user;
        try {
            user = UserId.of(token.getSubject());
        } catch (DomainException e) {
            throw refused("auth.malformed", "the access token's subject is not a user id");
        }
        Map<String, Object> appMetadata = token.getClaim("app_metadata").asMap();
        Object tenantClaim = appMetadata == null ? null : appMetadata.get("tenant_id");
        if (!(tenantClaim instanceof String tenantText) || tenantText.isBlank()) {
            throw refused("auth.missing_tenant", "the access token names no tenant (app_metadata.tenant_id)");
        }
        TenantId tenant;
        try {
            tenant = TenantId.of(tenantText);
        } catch (DomainException e) {
            throw refused("auth.invalid_tenant", "the access token's tenant is not a tenant id");
        }
        Object roleClaim = appMetadata.get("tenant_role");
        if (!(roleClaim instanceof String roleText) || roleText.isBlank()) {
            throw refused("auth.missing_role", "the access token names no role (app_metadata.tenant_role)");
        }
        Role role = switch (roleText) {
            case "admin" -> Role.ADMIN;
            case "interviewer" -> Role.INTERVIEWER;
            default -> throw refused("auth.role_not_allowed",
                    "Supabase access tokens are for staff (admin or interviewer) only");
        };
        return Principal.staff(tenant, user, role);
    }

    private static DomainException refused(String code, String message) {
        return new DomainException(ErrorKind.UNAUTHENTICATED, code, message);
    }

    @Override
    public String toString() {
        return "SupabaseAccessTokenVerifier[" + config + "]";
    }
}
