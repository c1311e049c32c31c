package ai.interviewinsights.domain.model.session;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;

/** An action was attempted in a state that does not allow it; names both. */
public final class IllegalTransitionException extends DomainException {

    private final SessionStatus state;
    private final SessionAction action;

    public IllegalTransitionException(SessionStatus state, SessionAction action) {
        super(ErrorKind.CONFLICT, "session.illegal_transition",
                "cannot " + action.words() + " a session that is " + state);
        this.state = state;
        this.action = action;
    }

    public SessionStatus state() {
        return state;
    }

    public SessionAction action() {
        return action;
    }
}
