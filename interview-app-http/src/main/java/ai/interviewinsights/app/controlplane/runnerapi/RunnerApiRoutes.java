package ai.interviewinsights.app.controlplane.runnerapi;

import ai.interviewinsights.app.controlplane.Authenticator;
import ai.interviewinsights.app.web.Bodies;
import ai.interviewinsights.app.controlplane.api.PublicApi;
import ai.interviewinsights.app.web.WireValues;
import ai.interviewinsights.app.observability.Metrics;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.recording.RecordingRef;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.RunnerAssignment;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.port.in.EndInterviewUseCase;
import ai.interviewinsights.domain.port.in.FailInterviewUseCase;
import ai.interviewinsights.domain.port.in.RecordCallConnectedUseCase;
import ai.interviewinsights.domain.port.in.RecordTranscriptUseCase;
import ai.interviewinsights.domain.service.InterviewServices;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;

/**
 * The control plane's side of the runner's internal API ({@link RunnerApi}): authenticated by the runner's own
 * session token, for that session only. Thin like the public API: JSON to a command, a use case, the result to JSON.
 */
public final class RunnerApiRoutes {

    private final InterviewServices services;
    private final Authenticator auth;
    private final Bodies bodies;
    private final Metrics metrics;

    public RunnerApiRoutes(InterviewServices services, Authenticator auth, Bodies bodies, Metrics metrics) {
        this.services = services;
        this.auth = auth;
        this.bodies = bodies;
        this.metrics = metrics;
    }

    public void install(JavalinConfig config) {
        var r = config.routes;
        r.get(RunnerApi.ASSIGNMENT, this::assignment);
        r.post(RunnerApi.CALL, this::callConnected);
        r.post(RunnerApi.TRANSCRIPT, this::recordTranscript);
        r.post(RunnerApi.TRANSCRIPT_DROPPED, this::entryDropped);
        r.post(RunnerApi.END, this::runnerEnded);
        r.post(RunnerApi.FAIL, this::runnerFailed);
        r.post(RunnerApi.CLIENT_EVENT_REFUSED, this::clientEventRefused);
        r.post(RunnerApi.CALL_AUDIO_GRANT, this::callAudioGrant);
        r.post(RunnerApi.CALL_AUDIO_UPLOADED, this::callAudioUploaded);
        r.post(RunnerApi.CALL_AUDIO_FAILED, this::callAudioFailed);
        r.post(RunnerApi.UPSTREAM_INCIDENT, this::upstreamIncident);
    }

    // ---- runner API --------------------------------------------------------------------------------------------

    private Principal runner(Context ctx) {
        Principal principal = auth.principal(ctx);
        if (!principal.is(ai.interviewinsights.domain.model.identity.Role.RUNNER)) {
            throw DomainException.forbidden("access.runner_only", "only a session runner may call this endpoint");
        }
        return principal;
    }

    private void assignment(Context ctx) {
        Principal runner = runner(ctx);
        RunnerAssignment assignment = services.runnerAssignment().assignment(runner, runner.session());
        ctx.json(new RunnerApi.AssignmentView(WireValues.wire(assignment.status().name()), assignment.storedEntries(),
                RunnerApi.RealtimeConfigView.of(assignment.realtime()),
                assignment.timeBudgetEnds().map(java.time.Instant::toString).orElse(null),
                assignment.recordCallAudio()));
    }

    private void callAudioGrant(Context ctx) {
        Principal runner = runner(ctx);
        ai.interviewinsights.domain.model.recording.CallAudioGrant grant = services.storeCallAudio()
                .grant(runner, runner.session());
        ctx.json(new RunnerApi.CallAudioGrantView(grant.videoId().value(), grant.upload().uploadToken().reveal(),
                grant.upload().expiresAt().toString(), grant.endpoint().toString()));
    }

    private void callAudioUploaded(Context ctx) {
        Principal runner = runner(ctx);
        RunnerApi.CallAudioUploadedBody body = bodies.json(ctx, RunnerApi.CallAudioUploadedBody.class);
        services.storeCallAudio().uploaded(new ai.interviewinsights.domain.port.in.StoreCallAudioUseCase.Uploaded(
                runner, runner.session(), new ai.interviewinsights.domain.model.recording.VideoId(body.videoId()),
                body.bytes(), body.seconds()));
        ctx.status(204);
    }

    private void callAudioFailed(Context ctx) {
        Principal runner = runner(ctx);
        RunnerApi.CallAudioFailedBody body = bodies.json(ctx, RunnerApi.CallAudioFailedBody.class);
        services.storeCallAudio().failed(new ai.interviewinsights.domain.port.in.StoreCallAudioUseCase.Failed(
                runner, runner.session(), body.code()));
        ctx.status(204);
    }

    private void callConnected(Context ctx) {
        Principal runner = runner(ctx);
        RunnerApi.CallConnectedBody body = bodies.json(ctx, RunnerApi.CallConnectedBody.class);
        services.callConnected().connected(new RecordCallConnectedUseCase.CallConnected(runner, runner.session(),
                new RealtimeCallId(body.callId())));
        ctx.status(204);
    }

    private void recordTranscript(Context ctx) {
        Principal runner = runner(ctx);
        RunnerApi.TranscriptBatch body = bodies.json(ctx, RunnerApi.TranscriptBatch.class);
        List<RunnerApi.Entry> views = body.entries() == null ? List.of() : body.entries();
        if (views.stream().anyMatch(java.util.Objects::isNull)) {
            throw DomainException.invalid("invalid.batch", "entries must be objects, not null");
        }
        List<TranscriptEntry> entries = views.stream().map(e -> e.toDomain(runner.session())).toList();
        AppendResult result = services.recordTranscript().record(new RecordTranscriptUseCase.RecordTranscript(
                runner, runner.session(), entries));
        metrics.transcriptEntries(result.stored().size(), result.duplicates().size());
        ctx.json(RunnerApi.AppendView.of(result));
    }

    private void clientEventRefused(Context ctx) {
        Principal runner = runner(ctx);
        RunnerApi.RefusedClientEventBody body = bodies.json(ctx, RunnerApi.RefusedClientEventBody.class);
        if (body.type() == null || body.reason() == null) {
            throw DomainException.invalid("invalid.refused_event", "type and reason are required");
        }
        services.reportRefusedClientEvent().refused(new ai.interviewinsights.domain.port.in
                .ReportRefusedClientEventUseCase.RefusedClientEvent(runner, runner.session(), body.type(),
                body.reason(), body.fields()));
        ctx.status(204);
    }

    private void upstreamIncident(Context ctx) {
        Principal runner = runner(ctx);
        RunnerApi.UpstreamIncidentBody body = bodies.json(ctx, RunnerApi.UpstreamIncidentBody.class);
        if (body.code() == null) {
            throw DomainException.invalid("invalid.incident", "code is required");
        }
        services.reportUpstreamIncident().report(new ai.interviewinsights.domain.port.in
                .ReportUpstreamIncidentUseCase.UpstreamIncident(runner, runner.session(), body.code(),
                body.attempts() == null ? 0 : body.attempts(), body.cause()));
        ctx.status(204);
    }

    private void entryDropped(Context ctx) {
        Principal runner = runner(ctx);
        RunnerApi.DroppedEntryBody body = bodies.json(ctx, RunnerApi.DroppedEntryBody.class);
        if (body.key() == null) {
            throw DomainException.invalid("invalid.idempotency_key", "key is required");
        }
        services.reportDroppedEntry().dropped(new ai.interviewinsights.domain.port.in.ReportDroppedEntryUseCase
                .DroppedEntry(runner, runner.session(), ai.interviewinsights.domain.model.transcript.IdempotencyKey
                .of(body.key()), body.code(), body.reason()));
        ctx.status(204);
    }

    private void runnerEnded(Context ctx) {
        Principal runner = runner(ctx);
        RunnerApi.RunnerEndBody body = bodies.json(ctx, RunnerApi.RunnerEndBody.class);
        EndReason reason = WireValues.enumOf(EndReason.class, body.reason() == null ? "call_ended" : body.reason(),
                "reason");
        // The end use case queues the evaluation itself when the runner's report makes the transcript final.
        EndInterviewUseCase.EndedInterview ended = services.endInterview().end(new EndInterviewUseCase.EndInterview(
                runner, runner.session(), reason, ai.interviewinsights.domain.model.recording.RecordingReport
                .parse(body.videoId(), body.recordingUrl())));
        // The reply is the session as the public API shows it (docs/openapi.yaml); a runner does not read it.
        ctx.json(PublicApi.SessionView.of(ended.session()));
    }

    private void runnerFailed(Context ctx) {
        Principal runner = runner(ctx);
        RunnerApi.RunnerFailBody body = bodies.json(ctx, RunnerApi.RunnerFailBody.class);
        services.failInterview().fail(new FailInterviewUseCase.FailInterview(AccessScope.of(runner),
                runner.session(), body.reason() == null ? "the runner failed" : body.reason()));
        ctx.status(204);
    }
}
