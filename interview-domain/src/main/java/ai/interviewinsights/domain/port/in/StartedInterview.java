package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.interview.InterviewContext;
import ai.interviewinsights.domain.model.recording.RecordingGrantTiming;
import ai.interviewinsights.domain.model.recording.UploadGrant;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.port.out.SessionTokenIssuer.IssuedToken;
import java.util.Objects;
import java.util.Optional;

/**
 * What a browser needs to join an interview: the session, the runner's WebSocket URL (carrying the candidate's
 * session token), the interview context, and the recording grant when recording is configured.
 *
 * @param recording      empty when recording is off (no provider configured), when its grant is asked for later, or
 *                       when it went to another browser
 * @param fresh          true when this call started the session; false when it rejoined one already running
 * @param recordingGrant when the browser gets its recording's grant: with this, or by asking after READY (ADR 0028)
 */
public record StartedInterview(InterviewSession session, String websocketUrl, IssuedToken clientToken,
                               InterviewContext context, Optional<UploadGrant> recording, boolean fresh,
                               RecordingGrantTiming recordingGrant) {

    public StartedInterview(InterviewSession session, String websocketUrl, IssuedToken clientToken,
                            InterviewContext context, Optional<UploadGrant> recording) {
        this(session, websocketUrl, clientToken, context, recording, true, RecordingGrantTiming.WITH_THE_START);
    }

    /** The same, as a rejoin of a session that was already running. */
    public StartedInterview rejoined() {
        return new StartedInterview(session, websocketUrl, clientToken, context, recording, false, recordingGrant);
    }

    /** The same, its recording's grant to be asked for after READY (none came with it). */
    public StartedInterview grantingRecordingAfterReady() {
        return new StartedInterview(session, websocketUrl, clientToken, context, Optional.empty(), fresh,
                RecordingGrantTiming.AFTER_READY);
    }

    public StartedInterview {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(websocketUrl, "websocketUrl");
        Objects.requireNonNull(clientToken, "clientToken");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(recording, "recording");
        Objects.requireNonNull(recordingGrant, "recordingGrant");
        if (recordingGrant == RecordingGrantTiming.AFTER_READY && recording.isPresent()) {
            throw new IllegalArgumentException("a grant asked for after READY does not come with the start");
        }
    }
}
