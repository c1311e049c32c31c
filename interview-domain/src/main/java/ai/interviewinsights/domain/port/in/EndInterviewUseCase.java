package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.InterviewSession;
import java.util.Objects;

/**
 * Ends an interview: the session goes ENDING, the call is hung up, the recording URL is kept. Safe to retry: ending
 * a session that is already ending or over changes nothing and is not an error.
 */
public interface EndInterviewUseCase {

    /**
     * @throws ai.interviewinsights.domain.model.DomainException {@code session.not_found},
     *         {@code access.other_session}, {@code session.illegal_transition} when the call never connected
     */
    EndedInterview end(EndInterview command);

    /** @param recordingUrl the recording's URL as the browser reported it, or null */
    record EndInterview(Principal principal, SessionId session, EndReason reason, String recordingUrl) {
        public EndInterview {
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * @param transcriptFinal whether evaluation may start now: true when the runner itself reported the end (it
     *                        records every entry before it does); otherwise the runner is still flushing, and the
     *                        evaluation starts when it reports, or when the reaper's grace period has passed
     */
    record EndedInterview(InterviewSession session, boolean transcriptFinal) {
    }
}
