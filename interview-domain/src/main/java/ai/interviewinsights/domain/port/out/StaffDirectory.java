package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;

/**
 * Where staff accounts live (Supabase Auth): makes the person with this e-mail a member of the tenant in the given
 * role, so that their next access token carries {@code app_metadata.tenant_id} and {@code tenant_role}, which the
 * verifier and the row-level security policies read. Creates the account when there is none.
 */
public interface StaffDirectory {

    /**
     * @return the account's user id
     * @throws ai.interviewinsights.domain.model.DomainException {@code staff.*} when the directory refuses, or
     *         UNAVAILABLE when it cannot be reached
     */
    UserId grant(TenantId tenant, String email, Role role);
}
