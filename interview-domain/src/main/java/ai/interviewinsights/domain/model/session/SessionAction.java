package ai.interviewinsights.domain.model.session;

import java.util.EnumSet;
import java.util.Set;

/**
 * Everything that can happen to a session, with the states it may happen in and the state it leads to. This table
 * is the whole lifecycle; {@link InterviewSession} consults it on every transition.
 */
public enum SessionAction {
    PROVISION_RUNNER(SessionStatus.PROVISIONING, EnumSet.of(SessionStatus.CREATED)),
    MARK_RUNNER_READY(SessionStatus.READY, EnumSet.of(SessionStatus.PROVISIONING)),
    CONNECT_CALL(SessionStatus.ACTIVE, EnumSet.of(SessionStatus.READY, SessionStatus.ACTIVE)),
    END(SessionStatus.ENDING, EnumSet.of(SessionStatus.ACTIVE)),
    COMPLETE(SessionStatus.COMPLETED, EnumSet.of(SessionStatus.ENDING)),
    FAIL(SessionStatus.FAILED, EnumSet.of(SessionStatus.CREATED, SessionStatus.PROVISIONING, SessionStatus.READY,
            SessionStatus.ACTIVE, SessionStatus.ENDING)),
    EXPIRE(SessionStatus.EXPIRED, EnumSet.of(SessionStatus.CREATED, SessionStatus.PROVISIONING, SessionStatus.READY,
            SessionStatus.ACTIVE, SessionStatus.ENDING)),
    CANCEL(SessionStatus.CANCELLED, EnumSet.of(SessionStatus.CREATED, SessionStatus.PROVISIONING,
            SessionStatus.READY, SessionStatus.ACTIVE)),
    /** Not a status change: a live session's runner is gone and a fresh one takes over. */
    REPLACE_RUNNER(null, EnumSet.of(SessionStatus.READY, SessionStatus.ACTIVE)),
    /** Not a status change: an evaluation can only be attached while ending or once completed. */
    ATTACH_EVALUATION(null, EnumSet.of(SessionStatus.ENDING, SessionStatus.COMPLETED));

    private final SessionStatus target;
    private final Set<SessionStatus> allowedFrom;

    SessionAction(SessionStatus target, Set<SessionStatus> allowedFrom) {
        this.target = target;
        this.allowedFrom = allowedFrom;
    }

    public boolean allowedFrom(SessionStatus status) {
        return allowedFrom.contains(status);
    }

    /** The status after the action, or the same status for actions that do not change it. */
    public SessionStatus targetFrom(SessionStatus status) {
        return target == null ? status : target;
    }

    /** Lower-case words for messages: {@code connect call}. */
    public String words() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
