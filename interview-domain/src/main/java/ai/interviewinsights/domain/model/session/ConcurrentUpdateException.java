package ai.interviewinsights.domain.model.session;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.identity.SessionId;

/**
 * A session was saved by someone else after it was loaded (optimistic locking): the runner, the reaper and a staff
 * member may all act on one session at once. A type of its own, so that whoever retries (the services' session
 * store) keys on the type the port promises, not on a string an adapter happens to write; at the HTTP edge it is
 * still {@code session.concurrent_update} (409).
 */
public final class ConcurrentUpdateException extends DomainException {

    public static final String CODE = "session.concurrent_update";

    private final SessionId session;

    public ConcurrentUpdateException(SessionId session) {
        super(ErrorKind.CONFLICT, CODE, "session " + session + " was changed by someone else; load it again");
        this.session = session;
    }

    public SessionId session() {
        return session;
    }
}
