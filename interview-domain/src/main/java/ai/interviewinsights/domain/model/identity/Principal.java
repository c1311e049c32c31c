package ai.interviewinsights.domain.model.identity;

import ai.interviewinsights.domain.model.DomainException;
import java.util.Optional;

/**
 * Who is calling: a user of one tenant with one role. Candidates and runners are bound to exactly one session
 * and may touch nothing else; staff principals are never bound to a session.
 *
 * @param tenant  the tenant every action of this principal is confined to
 * @param user    the user (for candidates and runners, a synthetic user derived from the grant)
 * @param role    what the principal may do
 * @param session the one session a candidate or runner is bound to; {@code null} for staff
 */
public record Principal(TenantId tenant, UserId user, Role role, SessionId session) {

    public Principal {
        if (tenant == null || user == null || role == null) {
            throw DomainException.invalid("invalid.principal", "a principal needs a tenant, a user and a role");
        }
        if (role.isSessionBound() && session == null) {
            throw DomainException.invalid("invalid.principal", "a " + role + " principal must be bound to a session");
        }
        if (!role.isSessionBound() && session != null) {
            throw DomainException.invalid("invalid.principal", "a " + role + " principal cannot be bound to a session");
        }
    }

    public static Principal staff(TenantId tenant, UserId user, Role role) {
        return new Principal(tenant, user, role, null);
    }

    public static Principal sessionBound(TenantId tenant, UserId user, Role role, SessionId session) {
        return new Principal(tenant, user, role, session);
    }

    public Optional<SessionId> boundSession() {
        return Optional.ofNullable(session);
    }

    public boolean isStaff() {
        return role.isStaff();
    }

    /**
     * The one refusal of a caller that is not the tenant's staff ({@code access.staff_only}, FORBIDDEN): the use
     * cases' (through {@code Access}) and an edge's that must refuse before it spends anything (a rate limit).
     */
    public void requireStaff() {
        if (!isStaff()) {
            throw DomainException.forbidden("access.staff_only", "only the tenant's staff may do this");
        }
    }

    public boolean is(Role other) {
        return role == other;
    }
}
