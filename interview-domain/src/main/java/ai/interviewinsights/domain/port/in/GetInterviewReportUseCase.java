package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.evaluation.EvaluationResult;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.recording.RecordingStatus;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import java.util.List;
import java.util.Optional;

/** Everything known about one interview, for its tenant's staff: status, transcript, recording, evaluation. */
public interface GetInterviewReportUseCase {

    /**
     * @throws ai.interviewinsights.domain.model.DomainException {@code session.not_found} (also for another
     *         tenant's session: its existence is not revealed), {@code access.staff_only}
     */
    InterviewReport report(Principal principal, SessionId session);

    /** @param recording the provider's current status, when there is a recording and the provider answered */
    record InterviewReport(InterviewSession session, Position position, Candidate candidate,
                           List<TranscriptEntry> transcript, Optional<RecordingStatus> recording,
                           Optional<EvaluationResult> evaluation) {
        public InterviewReport {
            transcript = List.copyOf(transcript);
        }
    }
}
