package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Principal;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * The database role and the JWT claims a unit of work runs under: what PostgREST would set for the same caller.
 * A principal becomes {@code authenticated} with its tenant, role and bound session in {@code app_metadata}; a
 * system job becomes {@code service_role}, which skips row-level security (as on Supabase).
 *
 * <p>The claim names are the ones the policies of {@code V3__row_level_security.sql} read.
 */
record JwtClaims(String role, String json) {

    static final String AUTHENTICATED = "authenticated";
    static final String SERVICE_ROLE = "service_role";
    /** Who these claims say issued them; never accepted by the token verifier, only read by the policies. */
    static final String ISSUER = "interview-insights";

    static JwtClaims of(AccessScope scope) {
        ObjectNode claims = Json.MAPPER.createObjectNode();
        claims.put("iss", ISSUER);
        ObjectNode appMetadata = claims.putObject("app_metadata");
        if (scope.isSystem()) {
            claims.put("role", SERVICE_ROLE);
            appMetadata.put("system_job", scope.systemJob().orElseThrow());
            return new JwtClaims(SERVICE_ROLE, claims.toString());
        }
        Principal principal = scope.principal().orElseThrow();
        claims.put("sub", principal.user().toString());
        claims.put("role", AUTHENTICATED);
        claims.put("aud", AUTHENTICATED);
        appMetadata.put("tenant_id", principal.tenant().toString());
        appMetadata.put("tenant_role", principal.role().name().toLowerCase(Locale.ROOT));
        principal.boundSession().ifPresent(session -> appMetadata.put("session_id", session.toString()));
        return new JwtClaims(AUTHENTICATED, claims.toString());
    }

    @Override
    public String toString() {
        return "JwtClaims[" + role + "]";
    }
}
