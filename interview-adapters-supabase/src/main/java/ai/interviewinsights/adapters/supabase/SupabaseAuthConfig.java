package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.Secret;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where Supabase Auth lives and how its access tokens are checked.
 *
 * @param supabaseUrl       the project URL, e.g. {@code https://abcd.supabase.co}; the issuer is
 *                          {@code <supabaseUrl>/auth/v1} and the signing keys are at
 *                          {@code <supabaseUrl>/auth/v1/.well-known/jwks.json}
 * @param legacyJwtSecret   the project's legacy HS256 JWT secret, or {@code null} to accept only asymmetric
 *                          (ES256/RS256) tokens
 * @param leeway            clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}
 * @param jwksCacheTtl      how long fetched signing keys are trusted before they are fetched again
 * @param jwksRefreshFloor  the least time between two fetches prompted by an unknown {@code kid}
 * @param httpTimeout       connect and read timeout for the JWKS fetch
 * @param clock             the time tokens are checked against
 * @param asymmetricKeys    whether ES256/RS256 tokens are verified with the project's JWKS; off when only a
 *                          shared secret exists (the local default), where such tokens are refused without any
 *                          outbound call
 */
public record SupabaseAuthConfig(URI supabaseUrl, Secret legacyJwtSecret, Duration leeway, Duration jwksCacheTtl,
                                 Duration jwksRefreshFloor, Duration httpTimeout, Clock clock,
                                 boolean asymmetricKeys) {

    public SupabaseAuthConfig {
        Objects.requireNonNull(supabaseUrl, "supabaseUrl");
        String scheme = supabaseUrl.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme) || supabaseUrl.getHost() == null) {
            throw new IllegalArgumentException("supabaseUrl must be an absolute http(s) URL");
        }
        String text = supabaseUrl.toString();
        supabaseUrl = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        Objects.requireNonNull(leeway, "leeway");
        Objects.requireNonNull(jwksCacheTtl, "jwksCacheTtl");
        Objects.requireNonNull(jwksRefreshFloor, "jwksRefreshFloor");
        Objects.requireNonNull(httpTimeout, "httpTimeout");
        Objects.requireNonNull(clock, "clock");
        if (leeway.isNegative() || leeway.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("leeway must be between 0 and 5 minutes");
        }
    }

    /** Asymmetric keys from the project's JWKS only; 10 s leeway, keys cached 10 min, refetched at most once a minute. */
    public static SupabaseAuthConfig of(URI supabaseUrl) {
        return new SupabaseAuthConfig(supabaseUrl, null, Duration.ofSeconds(10), Duration.ofMinutes(10),
                Duration.ofMinutes(1), Duration.ofSeconds(5), Clock.systemUTC(), true);
    }

    /**
     * HS256 tokens signed with {@code secret} only: ES256/RS256 tokens are refused ({@code auth.algorithm_not_allowed})
     * and no key set is ever fetched. For issuers that are not a Supabase project (the local default's).
     */
    public static SupabaseAuthConfig sharedSecretOnly(URI issuerUrl, Secret secret) {
        return new SupabaseAuthConfig(issuerUrl, Objects.requireNonNull(secret, "secret"), Duration.ofSeconds(10),
                Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofSeconds(5), Clock.systemUTC(), false);
    }

    /** Also accepts HS256 tokens signed with the project's legacy JWT secret. */
    public SupabaseAuthConfig withLegacyJwtSecret(Secret secret) {
        return new SupabaseAuthConfig(supabaseUrl, Objects.requireNonNull(secret, "secret"), leeway, jwksCacheTtl,
                jwksRefreshFloor, httpTimeout, clock, asymmetricKeys);
    }

    public SupabaseAuthConfig withClock(Clock newClock) {
        return new SupabaseAuthConfig(supabaseUrl, legacyJwtSecret, leeway, jwksCacheTtl, jwksRefreshFloor,
                httpTimeout, newClock, asymmetricKeys);
    }

    public SupabaseAuthConfig withLeeway(Duration newLeeway) {
        return new SupabaseAuthConfig(supabaseUrl, legacyJwtSecret, newLeeway, jwksCacheTtl, jwksRefreshFloor,
                httpTimeout, clock, asymmetricKeys);
    }

    public Optional<Secret> legacySecret() {
        return Optional.ofNullable(legacyJwtSecret);
    }

    /** The {@code iss} of the project's access tokens. */
    public String issuer() {
        return supabaseUrl + "/auth/v1";
    }

    public URI jwksUrl() {
        return URI.create(issuer() + "/.well-known/jwks.json");
    }

    @Override
    public String toString() {
        return "SupabaseAuthConfig[" + supabaseUrl + ", legacy secret " + (legacyJwtSecret == null ? "absent" : "set")
                + (asymmetricKeys ? ", JWKS" : ", no JWKS") + "]";
    }
}
