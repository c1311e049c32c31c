package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import ai.interviewinsights.domain.testing.MutableClock;
import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Supabase access tokens against a JWKS served by a local server, with keys generated here: the valid kinds, a key
 * rotation, and every attack refused with its own reason code.
 */
class SupabaseAccessTokenVerifierTest {

    private static final Secret LEGACY_SECRET = Secret.of("legacy-jwt-secret-with-at-least-32-characters-0123");
    private static final TenantId TENANT = TenantId.of("6f0c3a5e-1d2b-4c3d-9e8f-0a1b2c3d4e5f");
    private static final UserId USER = UserId.of("0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70");
    private static final String JWKS_PATH = "/auth/v1/.well-known/jwks.json";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private KeyPair ec1;
    private KeyPair ec2;
    private KeyPair rsa1;
    private volatile String jwks;

    @BeforeEach
    void keysAndServer() throws Exception {
        ec1 = ecKeyPair();
        ec2 = ecKeyPair();
        rsa1 = rsaKeyPair();
        jwks = jwks(ecJwk("ec-1", ec1), rsaJwk("rsa-1", rsa1));
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (!"GET".equals(request.getMethod()) || !JWKS_PATH.equals(request.getTarget())) {
                    return new MockResponse.Builder().code(404).build();
                }
                return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(jwks).build();
            }
        });
    }

    private String supabaseUrl() {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    private SupabaseAuthConfig config() {
        return SupabaseAuthConfig.of(URI.create(supabaseUrl())).withClock(clock);
    }

    private SupabaseAccessTokenVerifier jwksOnly() {
        return SupabaseAccessTokenVerifier.create(config());
    }

    private SupabaseAccessTokenVerifier withLegacySecret() {
        return SupabaseAccessTokenVerifier.create(config().withLegacyJwtSecret(LEGACY_SECRET));
    }

    /** A Supabase-shaped token for an admin of TENANT, valid for an hour; callers adjust it. */
    private JWTCreator.Builder claims() {
        Instant now = clock.instant();
        return JWT.create()
                .withIssuer(supabaseUrl() + "/auth/v1")
                .withSubject(USER.toString())
                .withAudience("authenticated")
                .withIssuedAt(now)
                .withExpiresAt(now.plus(Duration.ofHours(1)))
                .withClaim("role", "authenticated")
                .withClaim("session_id", UUID.randomUUID().toString())
                .withClaim("app_metadata", Map.of("provider", "email", "tenant_id", TENANT.toString(),
                        "tenant_role", "admin"));
    }

    private String es256(JWTCreator.Builder builder, String kid, KeyPair keys) {
        return builder.withKeyId(kid).sign(Algorithm.ECDSA256((ECPublicKey) keys.getPublic(),
                (ECPrivateKey) keys.getPrivate()));
    }

    private String rs256(JWTCreator.Builder builder, String kid, KeyPair keys) {
        return builder.withKeyId(kid).sign(Algorithm.RSA256((RSAPublicKey) keys.getPublic(),
                (RSAPrivateKey) keys.getPrivate()));
    }

    private static String hs256(JWTCreator.Builder builder, Secret secret) {
        return builder.sign(Algorithm.HMAC256(secret.reveal()));
    }

    private static void assertRefused(String code, Executable call) {
        DomainException e = assertThrows(DomainException.class, call);
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(ErrorKind.UNAUTHENTICATED, e.kind());
    }

    // ---- accepted --------------------------------------------------------------------------------------------

    @Test
    void a_valid_hs256_token_signed_with_the_legacy_secret_is_accepted() {
        Principal principal = withLegacySecret().verify(hs256(claims(), LEGACY_SECRET));
        assertEquals(Principal.staff(TENANT, USER, Role.ADMIN), principal);
        assertEquals(0, server.getRequestCount(), "HS256 needs no key from the JWKS");
    }

    @Test
    void a_token_minted_by_the_minter_is_accepted_with_its_role() {
        SupabaseTokenMinter minter = new SupabaseTokenMinter(URI.create(supabaseUrl()), LEGACY_SECRET, clock);
        Secret token = minter.mint(TENANT, USER, Role.INTERVIEWER, Duration.ofMinutes(30));
        assertEquals(Principal.staff(TENANT, USER, Role.INTERVIEWER), withLegacySecret().verify(token.reveal()));
    }

    @Test
    void a_valid_es256_token_is_verified_with_the_key_from_the_jwks() throws Exception {
        Principal principal = jwksOnly().verify(es256(claims(), "ec-1", ec1));
        assertEquals(Principal.staff(TENANT, USER, Role.ADMIN), principal);
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("GET", request.getMethod());
        assertEquals(JWKS_PATH, request.getTarget());
    }

    @Test
    void a_valid_rs256_token_is_verified_with_the_key_from_the_jwks() {
        Principal principal = jwksOnly().verify(rs256(claims().withAudience("authenticated", "other"), "rsa-1",
                rsa1));
        assertEquals(Principal.staff(TENANT, USER, Role.ADMIN), principal);
    }

    @Test
    void the_key_set_is_cached_and_fetched_again_after_ten_minutes() {
        SupabaseAccessTokenVerifier verifier = jwksOnly();
        for (int i = 0; i < 5; i++) {
            verifier.verify(es256(claims(), "ec-1", ec1));
            verifier.verify(rs256(claims(), "rsa-1", rsa1));
        }
        assertEquals(1, server.getRequestCount());
        clock.advance(Duration.ofMinutes(10));
        verifier.verify(es256(claims(), "ec-1", ec1));
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void a_rotated_in_key_is_accepted_and_unknown_kids_refetch_at_most_once_a_minute() {
        SupabaseAccessTokenVerifier verifier = jwksOnly();
        verifier.verify(es256(claims(), "ec-1", ec1));
        assertEquals(1, server.getRequestCount());

        // The project rotates: ec-2 becomes the signing key, ec-1 stays valid as "previously used".
        jwks = jwks(ecJwk("ec-1", ec1), ecJwk("ec-2", ec2), rsaJwk("rsa-1", rsa1));
        clock.advance(Duration.ofSeconds(61));
        assertEquals(Principal.staff(TENANT, USER, Role.ADMIN), verifier.verify(es256(claims(), "ec-2", ec2)));
        assertEquals(2, server.getRequestCount(), "an unknown kid triggers one refetch");
        verifier.verify(es256(claims(), "ec-1", ec1));
        assertEquals(2, server.getRequestCount());

        // Made-up kids within the same minute do not reach the server again.
        for (int i = 0; i < 3; i++) {
            String forged = es256(claims(), "kid-" + i, ecKeyPair());
            assertRefused("auth.unknown_key", () -> verifier.verify(forged));
        }
        assertEquals(2, server.getRequestCount());
        clock.advance(Duration.ofSeconds(61));
        assertRefused("auth.unknown_key", () -> verifier.verify(es256(claims(), "kid-x", ecKeyPair())));
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void a_revoked_key_is_refused_once_the_key_set_is_fetched_again() {
        SupabaseAccessTokenVerifier verifier = jwksOnly();
        verifier.verify(es256(claims(), "ec-1", ec1));
        jwks = jwks(ecJwk("ec-2", ec2));
        clock.advance(Duration.ofMinutes(11));
        assertRefused("auth.unknown_key", () -> verifier.verify(es256(claims(), "ec-1", ec1)));
    }

    @Test
    void an_unreachable_jwks_is_a_retryable_unavailability_not_a_verdict_on_the_token() {
        jwks = "not json";
        DomainException e = assertThrows(DomainException.class, () -> jwksOnly().verify(es256(claims(), "ec-1", ec1)));
        assertEquals("auth.jwks_unavailable", e.code());
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertTrue(e.retryable());
    }

    @Test
    void after_an_outage_ends_tokens_work_again_within_a_second_not_a_refetch_floor_later() {
        SupabaseAccessTokenVerifier verifier = jwksOnly();
        String token = es256(claims(), "ec-1", ec1);
        String healthy = jwks;
        jwks = "outage";
        DomainException down = assertThrows(DomainException.class, () -> verifier.verify(token));
        assertEquals("auth.jwks_unavailable", down.code());
        // During the outage a flood of tokens reaches the provider at most once a second.
        for (int i = 0; i < 5; i++) {
            assertThrows(DomainException.class, () -> verifier.verify(token));
        }
        assertEquals(1, server.getRequestCount());

        jwks = healthy;
        clock.advance(JwksKeys.FAILURE_BACKOFF);
        assertEquals(Principal.staff(TENANT, USER, Role.ADMIN), verifier.verify(token));
        assertEquals(2, server.getRequestCount());
        // The successful fetch, not the failed one, starts the refetch floor.
        assertRefused("auth.unknown_key", () -> verifier.verify(es256(claims(), "made-up", ecKeyPair())));
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void a_failed_refresh_keeps_the_known_keys_and_the_next_rotation_is_picked_up_a_second_later() {
        SupabaseAccessTokenVerifier verifier = jwksOnly();
        verifier.verify(es256(claims(), "ec-1", ec1));
        clock.advance(Duration.ofSeconds(61));
        jwks = "outage";
        assertRefused("auth.unknown_key", () -> verifier.verify(es256(claims(), "ec-2", ec2)));
        assertEquals(Principal.staff(TENANT, USER, Role.ADMIN), verifier.verify(es256(claims(), "ec-1", ec1)));
        jwks = jwks(ecJwk("ec-1", ec1), ecJwk("ec-2", ec2));
        clock.advance(JwksKeys.FAILURE_BACKOFF);
        assertEquals(Principal.staff(TENANT, USER, Role.ADMIN), verifier.verify(es256(claims(), "ec-2", ec2)));
    }

    @Test
    void with_a_shared_secret_only_forged_asymmetric_tokens_are_refused_without_any_outbound_call() {
        SupabaseAccessTokenVerifier verifier = SupabaseAccessTokenVerifier.create(
                SupabaseAuthConfig.sharedSecretOnly(URI.create(supabaseUrl()), LEGACY_SECRET).withClock(clock));
        assertRefused("auth.algorithm_not_allowed", () -> verifier.verify(es256(claims(), "ec-1", ec1)));
        assertRefused("auth.algorithm_not_allowed", () -> verifier.verify(rs256(claims(), "rsa-1", rsa1)));
        assertRefused("auth.algorithm_not_allowed", () -> verifier.verify(es256(claims(), "any", ecKeyPair())));
        assertEquals(0, server.getRequestCount(), "no key set is fetched");
        assertEquals(Principal.staff(TENANT, USER, Role.ADMIN), verifier.verify(hs256(claims(), LEGACY_SECRET)));
    }

    @Test
    void a_token_within_the_leeway_of_its_expiry_is_accepted() {
        String token = hs256(claims().withExpiresAt(clock.instant().minusSeconds(5)), LEGACY_SECRET);
        assertEquals(USER, withLegacySecret().verify(token).user());
    }

    // ---- refused ---------------------------------------------------------------------------------------------

    @Test
    void alg_none_is_refused() {
        String unsigned = claims().sign(Algorithm.none());
        assertRefused("auth.algorithm_not_allowed", () -> withLegacySecret().verify(unsigned));
        assertRefused("auth.algorithm_not_allowed", () -> jwksOnly().verify(unsigned));
        // The same with a forged signature part.
        assertRefused("auth.algorithm_not_allowed", () -> jwksOnly().verify(unsigned + "c2lnbmF0dXJl"));
    }

    @Test
    void other_algorithms_are_refused() {
        String hs512 = claims().sign(Algorithm.HMAC512(LEGACY_SECRET.reveal()));
        assertRefused("auth.algorithm_not_allowed", () -> withLegacySecret().verify(hs512));
    }

    @Test
    void algorithm_confusion_an_hs256_token_signed_with_the_public_key_is_refused() {
        byte[] publicKey = rsa1.getPublic().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(publicKey)
                + "\n-----END PUBLIC KEY-----\n";
        for (byte[] secret : List.of(publicKey, pem.getBytes(StandardCharsets.UTF_8))) {
            String confused = claims().withKeyId("rsa-1").sign(Algorithm.HMAC256(secret));
            assertRefused("auth.algorithm_not_allowed", () -> jwksOnly().verify(confused));
            // Where a legacy secret is configured, HS256 is allowed but the public key is not the secret.
            assertRefused("auth.bad_signature", () -> withLegacySecret().verify(confused));
        }
    }

    @Test
    void a_header_algorithm_that_does_not_match_the_named_key_is_refused() {
        // ES256 claimed, but the kid names the RSA key.
        String mismatched = claims().withKeyId("rsa-1").sign(Algorithm.ECDSA256((ECPublicKey) ec1.getPublic(),
                (ECPrivateKey) ec1.getPrivate()));
        assertRefused("auth.algorithm_not_allowed", () -> jwksOnly().verify(mismatched));
    }

    @Test
    void a_token_signed_with_the_wrong_key_is_refused() {
        KeyPair attacker = ecKeyPair();
        assertRefused("auth.bad_signature", () -> jwksOnly().verify(es256(claims(), "ec-1", attacker)));
        String wrongSecret = hs256(claims(), Secret.of("another-secret-that-is-long-enough-0123456789"));
        assertRefused("auth.bad_signature", () -> withLegacySecret().verify(wrongSecret));
    }

    @Test
    void a_token_naming_an_unknown_key_is_refused() {
        assertRefused("auth.unknown_key", () -> jwksOnly().verify(es256(claims(), "nobody", ecKeyPair())));
        String noKid = claims().sign(Algorithm.RSA256((RSAPublicKey) rsa1.getPublic(),
                (RSAPrivateKey) rsa1.getPrivate()));
        assertRefused("auth.unknown_key", () -> jwksOnly().verify(noKid));
    }

    @Test
    void a_tampered_payload_is_refused() {
        String otherTenant = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
        for (String token : List.of(es256(claims(), "ec-1", ec1), rs256(claims(), "rsa-1", rsa1),
                hs256(claims(), LEGACY_SECRET))) {
            String[] parts = token.split("\\.");
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                    .replace(TENANT.toString(), otherTenant);
            String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
            assertRefused("auth.bad_signature", () -> withLegacySecret().verify(tampered));
        }
    }

    @Test
    void an_expired_token_is_refused() {
        String expired = es256(claims().withIssuedAt(clock.instant().minus(Duration.ofHours(2)))
                .withExpiresAt(clock.instant().minus(Duration.ofMinutes(1))), "ec-1", ec1);
        assertRefused("auth.expired", () -> jwksOnly().verify(expired));
    }

    @Test
    void a_token_not_valid_yet_is_refused() {
        String early = hs256(claims().withNotBefore(clock.instant().plus(Duration.ofMinutes(5))), LEGACY_SECRET);
        assertRefused("auth.not_yet_valid", () -> withLegacySecret().verify(early));
    }

    @Test
    void a_token_without_expiry_is_refused() {
        String forever = JWT.create().withIssuer(supabaseUrl() + "/auth/v1").withSubject(USER.toString())
                .withAudience("authenticated")
                .withClaim("app_metadata", Map.of("tenant_id", TENANT.toString(), "tenant_role", "admin"))
                .sign(Algorithm.HMAC256(LEGACY_SECRET.reveal()));
        assertRefused("auth.missing_claim", () -> withLegacySecret().verify(forever));
    }

    @Test
    void a_token_of_another_project_or_audience_is_refused() {
        String otherProject = hs256(claims().withIssuer("https://other.supabase.co/auth/v1"), LEGACY_SECRET);
        assertRefused("auth.wrong_issuer", () -> withLegacySecret().verify(otherProject));
        // Supabase's anon and service_role API keys are JWTs too: issuer "supabase", no authenticated audience.
        String serviceKey = JWT.create().withIssuer("supabase").withClaim("role", "service_role")
                .withExpiresAt(clock.instant().plus(Duration.ofDays(3650))).withSubject(USER.toString())
                .sign(Algorithm.HMAC256(LEGACY_SECRET.reveal()));
        assertRefused("auth.wrong_issuer", () -> withLegacySecret().verify(serviceKey));
        String anonAudience = hs256(claims().withAudience("anon"), LEGACY_SECRET);
        assertRefused("auth.wrong_audience", () -> withLegacySecret().verify(anonAudience));
    }

    @Test
    void a_token_without_tenant_is_refused() {
        String noMetadata = hs256(claims().withClaim("app_metadata", (Map<String, ?>) null), LEGACY_SECRET);
        assertRefused("auth.missing_tenant", () -> withLegacySecret().verify(noMetadata));
        String noTenant = hs256(claims().withClaim("app_metadata", Map.of("tenant_role", "admin")), LEGACY_SECRET);
        assertRefused("auth.missing_tenant", () -> withLegacySecret().verify(noTenant));
        // user_metadata is editable by the user: a tenant there counts for nothing.
        String userMetadataOnly = hs256(claims().withClaim("app_metadata", Map.of("provider", "email"))
                .withClaim("user_metadata", Map.of("tenant_id", TENANT.toString(), "tenant_role", "admin")),
                LEGACY_SECRET);
        assertRefused("auth.missing_tenant", () -> withLegacySecret().verify(userMetadataOnly));
        String badTenant = hs256(claims().withClaim("app_metadata", Map.of("tenant_id", "acme", "tenant_role",
                "admin")), LEGACY_SECRET);
        assertRefused("auth.invalid_tenant", () -> withLegacySecret().verify(badTenant));
    }

    @Test
    void only_staff_roles_are_accepted_from_supabase_tokens() {
        String noRole = hs256(claims().withClaim("app_metadata", Map.of("tenant_id", TENANT.toString())),
                LEGACY_SECRET);
        assertRefused("auth.missing_role", () -> withLegacySecret().verify(noRole));
        for (String role : List.of("candidate", "runner", "owner", "ADMIN")) {
            String token = hs256(claims().withClaim("app_metadata", Map.of("tenant_id", TENANT.toString(),
                    "tenant_role", role)), LEGACY_SECRET);
            assertRefused("auth.role_not_allowed", () -> withLegacySecret().verify(token));
        }
    }

    @Test
    void a_subject_that_is_not_a_user_id_is_refused() {
        String token = hs256(claims().withSubject("service-account"), LEGACY_SECRET);
        assertRefused("auth.malformed", () -> withLegacySecret().verify(token));
    }

    @Test
    void garbage_is_refused_as_malformed() {
        for (String garbage : List.of("not-a-jwt", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30", "...")) {
            assertRefused("auth.malformed", () -> withLegacySecret().verify(garbage));
        }
        assertRefused("auth.missing_token", () -> withLegacySecret().verify(" "));
        assertRefused("auth.missing_token", () -> withLegacySecret().verify(null));
    }

    // ---- keys and the JWKS document --------------------------------------------------------------------------

    static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JWK as Supabase publishes it (kty, kid, alg, use, key_ops, ext, and the public numbers). */
    static String ecJwk(String kid, KeyPair keys) {
        ECPublicKey key = (ECPublicKey) keys.getPublic();
        return """
                {"kty":"EC","kid":"%s","alg":"ES256","use":"sig","key_ops":["verify"],"ext":true,"crv":"P-256",\
                "x":"%s","y":"%s"}""".formatted(kid, b64(unsigned(key.getW().getAffineX(), 32)),
                b64(unsigned(key.getW().getAffineY(), 32)));
    }

    static String rsaJwk(String kid, KeyPair keys) {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        return """
                {"kty":"RSA","kid":"%s","alg":"RS256","use":"sig","key_ops":["verify"],"ext":true,\
                "n":"%s","e":"%s"}""".formatted(kid, b64(unsigned(key.getModulus(), 0)),
                b64(unsigned(key.getPublicExponent(), 0)));
    }

    static String jwks(String... keys) {
        return "{\"keys\":[" + String.join(",", keys) + "]}";
    }

    private static byte[] unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        if (length > bytes.length) {
            byte[] padded = new byte[length];
            System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
            return padded;
        }
        return bytes;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
