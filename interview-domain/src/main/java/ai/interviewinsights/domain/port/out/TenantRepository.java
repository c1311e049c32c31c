package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Tenant;
import java.util.Optional;

/** Stores tenants. Creating one is a system job (sign-up, bootstrap); a principal may read only its own. */
public interface TenantRepository {

    void save(AccessScope scope, Tenant tenant);

    Optional<Tenant> find(AccessScope scope, TenantId id);
}
