package ai.interviewinsights.app.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.port.out.SessionTokenIssuer.Grant;
import ai.interviewinsights.domain.testing.MutableClock;
import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SessionTokensTest {

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final SessionTokens tokens = new SessionTokens(Secret.of("a-master-secret-of-at-least-32-characters!"),
            clock);
    private final TenantId tenant = new TenantId(UUID.randomUUID());
    private final SessionId session = new SessionId(UUID.randomUUID());

    private String issue(Role role, SessionId s) {
        return tokens.issue(new Grant(tenant, s, role, clock.instant().plus(Duration.ofMinutes(45)))).token().reveal();
    }

    private static void assertRejected(String code, Runnable call) {
        DomainException e = assertThrows(DomainException.class, call::run);
        assertEquals(ErrorKind.UNAUTHENTICATED, e.kind());
        assertEquals(code, e.code());
    }

    @Test
    void the_control_plane_verifies_candidate_and_runner_tokens() {
        Principal candidate = tokens.verify(issue(Role.CANDIDATE, session));
        assertEquals(Role.CANDIDATE, candidate.role());
        assertEquals(session, candidate.session());
        assertEquals(tenant, candidate.tenant());
        assertEquals(Role.RUNNER, tokens.verify(issue(Role.RUNNER, session)).role());
        assertTrue(SessionTokens.isSessionToken(issue(Role.RUNNER, session)));
    }

    @Test
    void a_runner_verifies_its_own_sessions_candidate_tokens_and_nothing_else() {
        Secret key = tokens.clientVerificationKey(tenant, session);
        assertEquals(Role.CANDIDATE, SessionTokens.verifyClientToken(issue(Role.CANDIDATE, session), key, session,
                tenant, clock).role());
        SessionId other = new SessionId(UUID.randomUUID());
        assertRejected("auth.wrong_session", () -> SessionTokens.verifyClientToken(issue(Role.CANDIDATE, other), key,
                session, tenant, clock));
        assertRejected("auth.wrong_session", () -> SessionTokens.verifyClientToken(issue(Role.RUNNER, session), key,
                session, tenant, clock));
        assertRejected("auth.wrong_session", () -> SessionTokens.verifyClientToken(issue(Role.CANDIDATE, session),
                key, session, new TenantId(UUID.randomUUID()), clock));
    }

    @Test
    void the_key_a_runner_holds_cannot_mint_a_token_the_control_plane_accepts_for_another_session() {
        byte[] runnerKey = Base64.getUrlDecoder().decode(tokens.clientVerificationKey(tenant, session).reveal());
        SessionId other = new SessionId(UUID.randomUUID());
        String forged = JWT.create().withIssuer(SessionTokens.ISSUER).withAudience(SessionTokens.AUDIENCE)
                .withClaim("role", "candidate").withClaim("tenant_id", tenant.toString())
                .withClaim("session_id", other.toString())
                .withExpiresAt(clock.instant().plusSeconds(600)).sign(Algorithm.HMAC256(runnerKey));
        assertRejected("auth.bad_signature", () -> tokens.verify(forged));
        String runnerForgery = JWT.create().withIssuer(SessionTokens.ISSUER).withAudience(SessionTokens.AUDIENCE)
                .withClaim("role", "runner").withClaim("tenant_id", tenant.toString())
                .withClaim("session_id", session.toString())
                .withExpiresAt(clock.instant().plusSeconds(600)).sign(Algorithm.HMAC256(runnerKey));
        assertRejected("auth.bad_signature", () -> tokens.verify(runnerForgery));
    }

    @Test
    void expired_tampered_alg_none_and_garbage_tokens_are_rejected_with_their_reason() {
        String valid = issue(Role.CANDIDATE, session);
        clock.advance(Duration.ofMinutes(46));
        assertRejected("auth.expired", () -> tokens.verify(valid));
        clock.advance(Duration.ofMinutes(-46));
        String[] parts = valid.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(tenant.toString(), new TenantId(UUID.randomUUID()).toString());
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertRejected("auth.bad_signature", () -> tokens.verify(tampered));
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        assertRejected("auth.algorithm_not_allowed", () -> tokens.verify(none));
        assertRejected("auth.malformed", () -> tokens.verify("not.a.jwt"));
        assertRejected("auth.malformed", () -> tokens.verify("garbage"));
    }

    @Test
    void nothing_prints_the_secret() {
        assertEquals("SessionTokens[***]", tokens.toString());
        assertTrue(!tokens.clientVerificationKey(tenant, session).toString().contains("="));
    }

    @Test
    void a_candidate_token_a_runner_signs_itself_cannot_outlive_an_interview() {
        byte[] runnerKey = Base64.getUrlDecoder().decode(tokens.clientVerificationKey(tenant, session).reveal());
        Secret key = tokens.clientVerificationKey(tenant, session);
        String forever = JWT.create().withIssuer(SessionTokens.ISSUER).withAudience(SessionTokens.AUDIENCE)
                .withClaim("role", "candidate").withClaim("tenant_id", tenant.toString())
                .withClaim("session_id", session.toString()).withIssuedAt(clock.instant())
                .withExpiresAt(clock.instant().plus(Duration.ofDays(365))).sign(Algorithm.HMAC256(runnerKey));
        assertRejected("auth.lifetime_not_allowed", () -> SessionTokens.verifyClientToken(forever, key, session,
                tenant, clock));
        String undated = JWT.create().withIssuer(SessionTokens.ISSUER).withAudience(SessionTokens.AUDIENCE)
                .withClaim("role", "candidate").withClaim("tenant_id", tenant.toString())
                .withClaim("session_id", session.toString())
                .withExpiresAt(clock.instant().plusSeconds(600)).sign(Algorithm.HMAC256(runnerKey));
        assertRejected("auth.lifetime_not_allowed", () -> SessionTokens.verifyClientToken(undated, key, session,
                tenant, clock));
        assertEquals(Role.CANDIDATE, SessionTokens.verifyClientToken(issue(Role.CANDIDATE, session), key, session,
                tenant, clock).role(), "the control plane's own tokens still pass");
    }

    @Test
    void a_token_accepted_before_is_accepted_again_until_its_expiry_and_leeway_and_refused_after() {
        String runner = issue(Role.RUNNER, session); // lives 45 minutes
        assertEquals(Role.RUNNER, tokens.verify(runner).role());

        clock.advance(Duration.ofMinutes(45).plusSeconds(5)); // expiry plus the leeway: still accepted, as at first
        assertEquals(session, tokens.verify(runner).session());
        assertEquals(session, tokens.verifiedRecently(runner).session());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(null, tokens.verifiedRecently(runner));
        assertRejected("auth.expired", () -> tokens.verify(runner));
    }

    @Test
    void a_token_differing_in_any_character_from_one_accepted_is_checked_in_full() {
        String runner = issue(Role.RUNNER, session);
        tokens.verify(runner);
        // The signature's first character, not its last: a 32-byte HMAC's last base64url character carries two
        // padding bits, so 'A' -> 'B' there can decode to the very same signature (and did, once in 16 runs).
        int at = runner.lastIndexOf('.') + 1;
        char first = runner.charAt(at);
        String forged = runner.substring(0, at) + (first == 'A' ? 'B' : 'A') + runner.substring(at + 1);
        String otherSession = runner.replace(runner.split("\\.")[1], issue(Role.RUNNER,
                new SessionId(UUID.randomUUID())).split("\\.")[1]);

        assertEquals(null, tokens.verifiedRecently(forged));
        assertRejected("auth.bad_signature", () -> tokens.verify(forged));
        assertRejected("auth.bad_signature", () -> tokens.verify(otherSession));
        assertEquals(1, tokens.recentlyVerifiedCount(), "refused tokens are not remembered");
    }

    @Test
    void the_tokens_remembered_are_bounded_and_the_least_recently_used_go_first() {
        String first = issue(Role.RUNNER, session);
        tokens.verify(first);
        for (int i = 0; i < SessionTokens.RECENT_TOKENS + 10; i++) {
            tokens.verify(issue(Role.RUNNER, new SessionId(UUID.randomUUID())));
        }

        assertEquals(SessionTokens.RECENT_TOKENS, tokens.recentlyVerifiedCount());
        assertEquals(null, tokens.verifiedRecently(first), "the eldest went first");
        assertEquals(Role.RUNNER, tokens.verify(first).role(), "and is checked in full again");
    }
}
