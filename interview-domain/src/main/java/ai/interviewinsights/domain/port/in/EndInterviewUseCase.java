package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.recording.RecordingReport;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.InterviewSession;
import java.util.Objects;

/**
 * Ends an interview, by the candidate, staff or the session's runner. What happens depends on where the session is:
 * <ul>
 *   <li>ACTIVE: the session goes ENDING and what the browser reported about its recording is kept (the URL; the
 *       video id, with the time of the report, only when it is the video this session's upload token was issued
 *       for: any other is refused with an audit line and the end goes on); when anyone but the runner ends
 *       it, the call is hung up here (the runner hangs up itself before it reports the end);</li>
 *   <li>READY (the call never connected): there is nothing to evaluate, so the session is cancelled;</li>
 *   <li>anything else (already ending or over): nothing changes and it is not an error, so an end is safe to
 *       retry and the runner may report what staff already did.</li>
 * </ul>
 * When the runner reports the end of a session that is (now) ending, its transcript is final and the end queues the
 * evaluation on the {@link ai.interviewinsights.domain.port.out.EvaluationQueue}: no edge decides that itself.
 */
public interface EndInterviewUseCase {

    /**
     * @throws ai.interviewinsights.domain.model.DomainException {@code session.not_found} (also for another tenant's
     *         session), {@code access.other_session}, {@code invalid.recording_url}
     */
    EndedInterview end(EndInterview command);

    /**
     * @param recording what the browser reported about its recording in {@code end_session} (parsed by the edge
     *                  that received it with {@link RecordingReport#parse}), or null
     */
    record EndInterview(Principal principal, SessionId session, EndReason reason, RecordingReport recording) {
        public EndInterview {
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * @param transcriptFinal whether the evaluation was queued with this end: true when the runner itself reported the
     *                        end (it records every entry before it does); otherwise the runner is still flushing, and
     *                        the evaluation is queued when it reports, or started by the reaper once the grace period
     *                        has passed
     */
    record EndedInterview(InterviewSession session, boolean transcriptFinal) {
    }
}
