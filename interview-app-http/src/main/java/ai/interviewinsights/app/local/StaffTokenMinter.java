package ai.interviewinsights.app.local;

import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import java.time.Duration;

/** Mints staff access tokens the configured verifier accepts (the local default's stand-in for Supabase Auth). */
@FunctionalInterface
public interface StaffTokenMinter {

    Secret mint(TenantId tenant, UserId user, Role role, Duration lifetime);
}
