package ai.interviewinsights.domain.runner;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.session.RunnerAssignment;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.port.in.EndInterviewUseCase;
import ai.interviewinsights.domain.port.in.FailInterviewUseCase;
import ai.interviewinsights.domain.port.in.RecordCallConnectedUseCase;
import ai.interviewinsights.domain.port.in.RecordTranscriptUseCase;
import ai.interviewinsights.domain.port.out.ControlPlane;
import ai.interviewinsights.domain.model.recording.RecordingReport;
import java.util.List;
import java.util.Objects;
import ai.interviewinsights.domain.service.InterviewServices;

/**
 * A runner's control plane when both live in one JVM (embedding, tests): the use cases are called directly, as
 * the runner's session-bound principal, so the same tenant and session rules apply as over HTTP.
 */
public final class InProcessControlPlane implements ControlPlane {

    private final Principal runner;
    private final InterviewServices services;

    public InProcessControlPlane(Principal runner, InterviewServices services) {
        this.runner = Objects.requireNonNull(runner, "runner");
        if (runner.role() != Role.RUNNER) {
            throw new IllegalArgumentException("the in-process control plane acts as a RUNNER principal");
        }
        this.services = Objects.requireNonNull(services, "services");
    }

    @Override
    public RunnerAssignment assignment() {
        return services.runnerAssignment().assignment(runner, runner.session());
    }

    @Override
    public void callConnected(RealtimeCallId call) {
        services.callConnected().connected(
                new RecordCallConnectedUseCase.CallConnected(runner, runner.session(), call));
    }

    @Override
    public AppendResult recordTranscript(List<TranscriptEntry> entries) {
        return services.recordTranscript().record(
                new RecordTranscriptUseCase.RecordTranscript(runner, runner.session(), entries));
    }

    @Override
    public void entryDropped(ai.interviewinsights.domain.model.transcript.IdempotencyKey key, String code,
                             String reason) {
        services.reportDroppedEntry().dropped(new ai.interviewinsights.domain.port.in.ReportDroppedEntryUseCase
                .DroppedEntry(runner, runner.session(), key, code, reason));
    }

    @Override
    public void clientEventRefused(String type, String reason, List<String> fields) {
        services.reportRefusedClientEvent().refused(new ai.interviewinsights.domain.port.in
                .ReportRefusedClientEventUseCase.RefusedClientEvent(runner, runner.session(), type, reason, fields));
    }

    @Override
    public ai.interviewinsights.domain.model.recording.CallAudioGrant callAudioGrant() {
        return services.storeCallAudio().grant(runner, runner.session());
    }

    @Override
    public void callAudioUploaded(ai.interviewinsights.domain.model.recording.VideoId video, long bytes,
                                  double seconds) {
        services.storeCallAudio().uploaded(new ai.interviewinsights.domain.port.in.StoreCallAudioUseCase.Uploaded(
                runner, runner.session(), video, bytes, seconds));
    }

    @Override
    public void callAudioFailed(String code) {
        services.storeCallAudio().failed(new ai.interviewinsights.domain.port.in.StoreCallAudioUseCase.Failed(
                runner, runner.session(), code));
    }

    @Override
    public void upstreamIncident(String code, int attempts, String cause) {
        services.reportUpstreamIncident().report(new ai.interviewinsights.domain.port.in
                .ReportUpstreamIncidentUseCase.UpstreamIncident(runner, runner.session(), code, attempts, cause));
    }

    @Override
    public void ended(EndReason reason, RecordingReport recording) {
        // The end use case queues the evaluation itself once the transcript is final.
        services.endInterview().end(new EndInterviewUseCase.EndInterview(runner, runner.session(), reason,
                recording));
    }

    @Override
    public void failed(String reason) {
        services.failInterview().fail(
                new FailInterviewUseCase.FailInterview(AccessScope.of(runner), runner.session(), reason));
    }
}
