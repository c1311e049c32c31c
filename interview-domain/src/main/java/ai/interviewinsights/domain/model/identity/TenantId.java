package ai.interviewinsights.domain.model.identity;

import java.util.UUID;

/** Identifies a hiring company, the unit of isolation. */
public record TenantId(UUID value) {

    public TenantId {
        Ids.require(value, "tenant_id");
    }

    /**
     * Parses the canonical UUID text form.
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code invalid.tenant_id} when the text is not a UUID
     */
    public static TenantId of(String text) {
        return new TenantId(Ids.parse(text, "tenant_id"));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
