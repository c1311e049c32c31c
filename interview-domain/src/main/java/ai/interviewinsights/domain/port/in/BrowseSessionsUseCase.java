package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.session.InterviewSession;
import java.util.List;

/** Reads sessions: staff see their tenant's; a candidate or runner sees only its own session. */
public interface BrowseSessionsUseCase {

    List<InterviewSession> listRecent(Principal principal, int limit);

    /**
     * @throws ai.interviewinsights.domain.model.DomainException {@code session.not_found} (also for other
     *         tenants), {@code access.other_session} (FORBIDDEN) for a candidate asking for another session
     */
    InterviewSession get(Principal principal, SessionId id);
}
