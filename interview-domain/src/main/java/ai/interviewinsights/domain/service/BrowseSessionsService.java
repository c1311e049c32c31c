package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionQuery;
import ai.interviewinsights.domain.port.in.BrowseSessionsUseCase;
import ai.interviewinsights.domain.port.out.SessionRepository;
import java.util.List;

/** Reading sessions: the tenant's recent ones, a filtered and paged search (in SQL), or one by id (a candidate or runner sees only its own). */
final class BrowseSessionsService implements BrowseSessionsUseCase {

    private final SessionRepository sessions;
    private final SessionStore store;

    BrowseSessionsService(SessionRepository sessions, SessionStore store) {
        this.sessions = sessions;
        this.store = store;
    }

    @Override
    public List<InterviewSession> listRecent(Principal principal, int limit) {
        Access.requireStaff(principal); // and RLS shows a session-bound caller its own session only
        if (limit < 1 || limit > 500) {
            throw DomainException.invalid("invalid.limit", "limit must be between 1 and 500");
        }
        return sessions.listRecent(AccessScope.of(principal), limit);
    }

    @Override
    public SessionQuery.Page search(Principal principal, SessionQuery query) {
        java.util.Objects.requireNonNull(query, "query");
        Access.requireStaff(principal);
        return sessions.search(AccessScope.of(principal), query);
    }

    @Override
    public InterviewSession get(Principal principal, SessionId id) {
        Access.requireSession(principal, id);
        return store.load(AccessScope.of(principal), id);
    }
}
