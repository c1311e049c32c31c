package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.interview.SettingsRequest;
import ai.interviewinsights.domain.model.recording.RecordingGrantTiming;
import java.util.Objects;

/** A staff member starts an interview for a candidate and a position (the admin flow). */
public interface StartInterviewUseCase {

    /**
     * Creates the session, provisions its runner, prepares the recording (when configured) and returns what the
     * browser needs to join.
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code access.staff_only} (FORBIDDEN),
     *         {@code position.not_found} / {@code candidate.not_found} (NOT_FOUND), {@code invalid.*} for settings,
     *         {@code runner.provisioning_failed} (UNAVAILABLE; the session is then FAILED)
     */
    StartedInterview start(StartInterview command);

    /**
     * The request.
     *
     * @param recordingGrant when the browser gets its recording's grant: with the start (the default), or by asking
     *                       after READY, so that the start waits for no recording provider (ADR 0028)
     */
    record StartInterview(Principal principal, CandidateId candidate, PositionId position, SettingsRequest settings,
                          RecordingGrantTiming recordingGrant) {
        public StartInterview {
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(candidate, "candidate");
            Objects.requireNonNull(position, "position");
            Objects.requireNonNull(recordingGrant, "recordingGrant");
        }

        public StartInterview(Principal principal, CandidateId candidate, PositionId position,
                              SettingsRequest settings) {
            this(principal, candidate, position, settings, RecordingGrantTiming.WITH_THE_START);
        }
    }
}
