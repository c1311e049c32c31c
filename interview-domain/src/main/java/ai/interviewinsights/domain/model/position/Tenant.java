package ai.interviewinsights.domain.model.position;

import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.identity.TenantId;

/** A hiring company using the platform; every other record belongs to exactly one tenant. */
public record Tenant(TenantId id, String name) {

    public Tenant {
        Require.present(id, "tenant_id");
        name = Require.text(name, "tenant_name", 200);
    }
}
