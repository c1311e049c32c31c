package ai.interviewinsights.domain.testing;

import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.recording.RecordingReport;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.RunnerAssignment;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.port.out.ControlPlane;
import java.util.List;
import java.util.Objects;

/**
 * A control plane that passes every call to another (usually the in-process one over the fakes): runner tests extend
 * it and override only the calls they count, hold or fail, so each test says what it changes and nothing else.
 */
public class ForwardingControlPlane implements ControlPlane {

    protected final ControlPlane real;

    public ForwardingControlPlane(ControlPlane real) {
        this.real = Objects.requireNonNull(real, "real");
    }

    @Override
    public RunnerAssignment assignment() {
        return real.assignment();
    }

    @Override
    public void callConnected(RealtimeCallId call) {
        real.callConnected(call);
    }

    @Override
    public AppendResult recordTranscript(List<TranscriptEntry> entries) {
        return real.recordTranscript(entries);
    }

    @Override
    public void entryDropped(IdempotencyKey key, String code, String reason) {
        real.entryDropped(key, code, reason);
    }

    @Override
    public void clientEventRefused(String type, String reason, List<String> fields) {
        real.clientEventRefused(type, reason, fields);
    }

    @Override
    public void upstreamIncident(String code, int attempts, String cause) {
        real.upstreamIncident(code, attempts, cause);
    }

    @Override
    public void ended(EndReason reason, RecordingReport recording) {
        real.ended(reason, recording);
    }

    @Override
    public void failed(String reason) {
        real.failed(reason);
    }

    @Override
    public ai.interviewinsights.domain.model.recording.CallAudioGrant callAudioGrant() {
        return real.callAudioGrant();
    }

    @Override
    public void callAudioUploaded(ai.interviewinsights.domain.model.recording.VideoId video, long bytes,
                                  double seconds) {
        real.callAudioUploaded(video, bytes, seconds);
    }

    @Override
    public void callAudioFailed(String code) {
        real.callAudioFailed(code);
    }
}
