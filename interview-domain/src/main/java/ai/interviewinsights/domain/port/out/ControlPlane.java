package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.session.RunnerAssignment;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.model.recording.RecordingReport;
import java.util.List;

/**
 * What a session runner may ask of the control plane, for its own session only. The runner holds no database
 * credentials: in production this is an HTTP client authenticated with the runner's session-scoped token; embedded
 * in one JVM it calls the use cases directly.
 */
public interface ControlPlane {

    /** The session's current status and the Realtime configuration to relay offers with. */
    RunnerAssignment assignment();

    /** OpenAI accepted an offer: the session is ACTIVE with this call. */
    void callConnected(RealtimeCallId call);

    /** Appends transcript entries idempotently. */
    AppendResult recordTranscript(List<TranscriptEntry> entries);

    /**
     * The runner gave up on one entry the control plane refused for good (see
     * {@link ai.interviewinsights.domain.port.in.ReportDroppedEntryUseCase}); the drop is audited.
     */
    void entryDropped(ai.interviewinsights.domain.model.transcript.IdempotencyKey key, String code, String reason);

    /**
     * A proxy runner refused a client event the browser sent on its data channel (it tried to change the
     * interviewer); the refusal is audited (see
     * {@link ai.interviewinsights.domain.port.in.ReportRefusedClientEventUseCase}). Names only, never values.
     */
    void clientEventRefused(String type, String reason, List<String> fields);

    /**
     * A proxy runner's socket to OpenAI dropped and came back, or was lost for good (see
     * {@link ai.interviewinsights.domain.port.in.ReportUpstreamIncidentUseCase}); the incident is audited. Stable codes
     * and a count only.
     */
    void upstreamIncident(String code, int attempts, String cause);

    /**
     * The interview is over and every entry the runner had is recorded.
     *
     * @param recording what the browser reported about its recording (video id, URL) in {@code end_session}, or null
     */
    void ended(EndReason reason, RecordingReport recording);

    /** The runner cannot go on (the call broke beyond repair). */
    void failed(String reason);

    /**
     * A proxy runner asks to upload its call's own audio (see
     * {@link ai.interviewinsights.domain.port.in.StoreCallAudioUseCase#grant}): a delegated upload token into the
     * session's call-audio video. Control planes that store no call audio refuse ({@code recording.unavailable}).
     */
    default ai.interviewinsights.domain.model.recording.CallAudioGrant callAudioGrant() {
        throw ai.interviewinsights.domain.model.DomainException.unavailable("recording.unavailable",
                "this control plane stores no call audio");
    }

    /** The runner uploaded the whole call audio into the grant's video. */
    default void callAudioUploaded(ai.interviewinsights.domain.model.recording.VideoId video, long bytes,
                                   double seconds) {
        throw ai.interviewinsights.domain.model.DomainException.unavailable("recording.unavailable",
                "this control plane stores no call audio");
    }

    /** The runner gave up storing its call audio, for this stable code; audited, the session is unaffected. */
    default void callAudioFailed(String code) {
        throw ai.interviewinsights.domain.model.DomainException.unavailable("recording.unavailable",
                "this control plane stores no call audio");
    }
}
