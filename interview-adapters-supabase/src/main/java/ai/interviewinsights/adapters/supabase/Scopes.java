package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Principal;
import java.util.UUID;

/** What the queries need to know about a scope beyond the claims (the policies do the enforcing). */
final class Scopes {

    private Scopes() {
    }

    /**
     * The principal's tenant, or {@code null} for a system scope. Queries filter on it too: row-level security
     * would hide other tenants' rows anyway, but the explicit filter lets PostgreSQL use the tenant indexes.
     */
    static UUID tenantOf(AccessScope scope) {
        return scope.principal().map(Principal::tenant).map(t -> t.value()).orElse(null);
    }
}
