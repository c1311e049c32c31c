package ai.interviewinsights.domain.model.identity;

import java.util.Objects;
import java.util.Optional;

/**
 * On whose behalf a repository call runs. Repositories enforce tenant isolation with it a second time (the
 * Supabase adapter turns it into the role and JWT claims that row-level security reads), so a bug in a use case
 * still cannot reach another tenant's rows.
 *
 * <p>A {@linkplain #system(String) system} scope is for jobs that must see every tenant (the reaper, the runner
 * reconciler, redeeming an invite before anyone is signed in); it names the job so the audit log can say who acted.
 */
public final class AccessScope {

    private final Principal principal;
    private final String systemJob;

    private AccessScope(Principal principal, String systemJob) {
        this.principal = principal;
        this.systemJob = systemJob;
    }

    public static AccessScope of(Principal principal) {
        return new AccessScope(Objects.requireNonNull(principal, "principal"), null);
    }

    public static AccessScope system(String job) {
        if (job == null || job.isBlank()) {
            throw new IllegalArgumentException("a system scope names its job");
        }
        return new AccessScope(null, job);
    }

    public boolean isSystem() {
        return principal == null;
    }

    public Optional<Principal> principal() {
        return Optional.ofNullable(principal);
    }

    /** The job name of a system scope, or empty for a principal's scope. */
    public Optional<String> systemJob() {
        return Optional.ofNullable(systemJob);
    }

    /** Whether this scope may see rows of the given tenant at all. */
    public boolean canSeeTenant(TenantId tenant) {
        return isSystem() || principal.tenant().equals(tenant);
    }

    /** Whether this scope may see rows of the given session of the given tenant. */
    public boolean canSeeSession(TenantId tenant, SessionId session) {
        if (isSystem()) {
            return true;
        }
        if (!principal.tenant().equals(tenant)) {
            return false;
        }
        return !principal.role().isSessionBound() || session.equals(principal.session());
    }

    @Override
    public String toString() {
        return isSystem() ? "AccessScope[system:" + systemJob + "]"
                : "AccessScope[" + principal.role() + "@" + principal.tenant() + "]";
    }
}
