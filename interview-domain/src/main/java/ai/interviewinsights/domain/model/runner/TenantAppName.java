package ai.interviewinsights.domain.model.runner;

import ai.interviewinsights.domain.model.identity.TenantId;

/** The per-tenant container of runners (a Fly app): {@code interviews-{tenantId}}. */
public record TenantAppName(String value) {

    public TenantAppName {
        DnsLabel.check(value, "tenant_app_name");
    }

    public static TenantAppName of(TenantId tenant) {
        return new TenantAppName("interviews-" + tenant);
    }

    @Override
    public String toString() {
        return value;
    }
}
