package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Mints access tokens shaped like Supabase Auth's, signed HS256 with a project's (legacy) JWT secret: for the
 * app's local default (which prints an admin token so a developer can call the API without a Supabase project)
 * and for tests. The claims are the ones {@link SupabaseAccessTokenVerifier} reads, plus Supabase's usual ones.
 */
public final class SupabaseTokenMinter {

    private final String issuer;
    private final Algorithm algorithm;
    private final Clock clock;

    public SupabaseTokenMinter(URI supabaseUrl, Secret jwtSecret, Clock clock) {
        this.issuer = SupabaseAuthConfig.of(supabaseUrl).issuer();
        this.algorithm = Algorithm.HMAC256(Objects.requireNonNull(jwtSecret, "jwtSecret").reveal());
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A token for a staff member of the tenant, valid for {@code ttl} from now.
     *
     * @throws IllegalArgumentException for a candidate or runner role: those use session tokens, not Supabase's
     */
    public Secret mint(TenantId tenant, UserId user, Role role, Duration ttl) {
        if (!role.isStaff()) {
            throw new IllegalArgumentException("Supabase access tokens are for staff roles only");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
        Instant now = clock.instant();
        String token = JWT.create()
                .withIssuer(issuer)
                .withSubject(user.toString())
                .withAudience(SupabaseAccessTokenVerifier.AUDIENCE)
                .withIssuedAt(now)
                .withExpiresAt(now.plus(ttl))
                .withClaim("role", "authenticated")
                .withClaim("aal", "aal1")
                .withClaim("session_id", UUID.randomUUID().toString())
                .withClaim("is_anonymous", false)
                .withClaim("app_metadata", Map.of(
                        "provider", "email",
                        "providers", List.of("email"),
                        "tenant_id", tenant.toString(),
                        "tenant_role", role.name().toLowerCase(Locale.ROOT)))
                .withClaim("user_metadata", Map.of())
                .sign(algorithm);
        return Secret.of(token);
    }

    @Override
    public String toString() {
        return "SupabaseTokenMinter[" + issuer + "]";
    }
}
