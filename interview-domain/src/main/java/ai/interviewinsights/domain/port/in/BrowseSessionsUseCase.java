package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionQuery;
import java.util.List;

/** Reads sessions: staff see their tenant's; a candidate or runner sees only its own session. */
public interface BrowseSessionsUseCase {

    List<InterviewSession> listRecent(Principal principal, int limit);

    /**
     * One page of the sessions the principal may see that pass the query's filters (staff: the tenant's; a candidate:
     * its own), with the number of all matches.
     */
    SessionQuery.Page search(Principal principal, SessionQuery query);

    /**
     * @throws ai.interviewinsights.domain.model.DomainException {@code session.not_found} (also for other
     *         tenants), {@code access.other_session} (FORBIDDEN) for a candidate asking for another session
     */
    InterviewSession get(Principal principal, SessionId id);
}
