package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.session.ConcurrentUpdateException;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.port.out.SessionRepository;
import java.util.function.Consumer;

/** Loading and changing sessions with optimistic locking, shared by the services. */
final class SessionStore {

    private static final int ATTEMPTS = 4;

    private final SessionRepository sessions;

    SessionStore(SessionRepository sessions) {
        this.sessions = sessions;
    }

    InterviewSession load(AccessScope scope, SessionId id) {
        return sessions.find(scope, id).orElseThrow(() -> Access.sessionNotFound(id));
    }

    InterviewSession save(AccessScope scope, InterviewSession session) {
        return sessions.save(scope, session);
    }

    /**
     * Loads, changes and saves a session, starting over when someone else saved it in between (the runner, the
     * reaper and a staff member may all act on one session at once). The change must be safe to run again.
     */
    InterviewSession update(AccessScope scope, SessionId id, Consumer<InterviewSession> change) {
        for (int attempt = 1; ; attempt++) {
            InterviewSession session = load(scope, id);
            change.accept(session);
            try {
                return sessions.save(scope, session);
            } catch (ConcurrentUpdateException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
