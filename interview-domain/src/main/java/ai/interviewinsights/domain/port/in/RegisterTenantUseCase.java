package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Tenant;

/** A system job creates a tenant (sign-up, or the local default tenant on first start). Idempotent per id. */
public interface RegisterTenantUseCase {

    Tenant register(TenantId id, String name);
}
