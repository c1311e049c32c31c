package ai.interviewinsights.app;

import ai.interviewinsights.adapters.supabase.SupabaseStore;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.TenantId;
import java.util.UUID;

/**
 * The system of record as the control plane uses it: the store (every repository), where it lives in words (no
 * credentials), and a liveness probe.
 */
record Persistence(SupabaseStore store, String description) implements AutoCloseable {

    /** Whether the database answers right now. */
    boolean ping() {
        try {
            store.tenants().find(AccessScope.system("readiness"), new TenantId(new UUID(0, 0)));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
