package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.consent.ConsentNotice;
import ai.interviewinsights.domain.model.interview.InterviewContext;
import ai.interviewinsights.domain.model.session.SessionStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * What the room shows before anything starts: who interviews for what, for how long, whether it is recorded, the
 * notice to consent to, and where the link stands. Reading it changes nothing.
 *
 * @param state     {@code READY} (nothing started yet), {@code LIVE} (started and still running: the room rejoins),
 *                  {@code FINISHED}, {@code EXPIRED} or {@code REVOKED}
 * @param reference an id a candidate can quote to support (the session's, or the invite's before there is one)
 * @param session   the session's status once the link has been used
 */
public record InviteLobby(State state, InterviewContext context, boolean recorded, ConsentNotice.Shown notice,
                          String reference, Optional<SessionStatus> session) {

    public enum State { READY, LIVE, FINISHED, EXPIRED, REVOKED }

    public InviteLobby {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(notice, "notice");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(session, "session");
    }
}
