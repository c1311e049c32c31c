package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import ai.interviewinsights.domain.model.position.Tenant;

/**
 * The platform operator brings a hiring company on board: creates its tenant, then makes people its staff. Not a
 * tenant's own action: the caller is the operator (the CLI, or the API behind the service-role key).
 */
public interface OnboardTenantUseCase {

    /** Creates a tenant with a new id. */
    Tenant createTenant(String name);

    /**
     * Makes the person with this e-mail an admin or interviewer of an existing tenant.
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code tenant.unknown}, {@code invalid.email},
     *         {@code invalid.staff_role}
     */
    StaffGrant addStaff(TenantId tenant, String email, Role role);

    /** Who was made staff of which tenant, as what. */
    record StaffGrant(TenantId tenant, UserId user, String email, Role role) {
    }
}
