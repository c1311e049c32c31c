package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.SessionId;

/**
 * The tenant rules, checked by every use case before it touches a repository (the repositories check again). A
 * principal never learns whether another tenant's record exists: that is "not found", never "forbidden".
 */
final class Access {

    private Access() {
    }

    static void requireStaff(Principal principal) {
        principal.requireStaff();
    }

    static void requireAdmin(Principal principal) {
        if (principal.role() != Role.ADMIN) {
            throw DomainException.forbidden("access.admin_only", "only an admin of the tenant may do this");
        }
    }

    static void requireRunner(Principal principal, SessionId session) {
        if (principal.role() != Role.RUNNER) {
            throw DomainException.forbidden("access.runner_only", "only the session's runner may do this");
        }
        requireSession(principal, session);
    }

    /**
     * A candidate or runner may act on its own session only. Checked before any lookup, so the answer does not
     * depend on whether the other session exists.
     */
    static void requireSession(Principal principal, SessionId session) {
        if (principal.role().isSessionBound() && !session.equals(principal.session())) {
            throw DomainException.forbidden("access.other_session", "this token is for another session");
        }
    }

    static DomainException sessionNotFound(SessionId id) {
        return DomainException.notFound("session.not_found", "no session " + id);
    }
}
