package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.interview.Architecture;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.RunnerAssignment;
import ai.interviewinsights.domain.port.in.GetRunnerAssignmentUseCase;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import ai.interviewinsights.domain.port.out.TranscriptRepository;
import ai.interviewinsights.domain.model.session.SessionStatus;

/** What a runner needs to serve its session: the status, the call's config, where its transcript continues. */
final class RunnerAssignmentService implements GetRunnerAssignmentUseCase {

    private final TranscriptRepository transcripts;
    private final InterviewStarter starter;
    private final SessionStore store;
    private final java.util.Optional<RecordingGateway> recording;

    RunnerAssignmentService(TranscriptRepository transcripts, InterviewStarter starter, SessionStore store,
                            java.util.Optional<RecordingGateway> recording) {
        this.transcripts = transcripts;
        this.starter = starter;
        this.store = store;
        this.recording = recording;
    }

    @Override
    public RunnerAssignment assignment(Principal runner, SessionId id) {
        Access.requireRunner(runner, id);
        AccessScope scope = AccessScope.of(runner);
        InterviewSession session = store.load(scope, id);
        RealtimeSessionConfig config = RealtimeSessionConfig.from(starter.context(scope, session));
        long stored = transcripts.nextPosition(scope, session.tenant(), id); // never the whole transcript
        // A runner that replaces a lost one carries on within the session's budget, not a fresh one.
        // Only a proxied call's audio passes the runner; it is recorded when the session's recording is on. A runner
        // learns its assignment as it starts, before its session's video is prepared (that follows the start, or the
        // browser asks for it after READY, ADR 0028): while the session is live and no video is attached yet,
        // recording is on if a provider is configured (the call-audio grant then checks the candidate's consent).
        boolean ahead = session.status() == SessionStatus.CREATED || session.status().isLive();
        boolean recordCallAudio = session.settings().architecture() == Architecture.PROXY
                && (session.recording().isPresent() || ahead && recording.isPresent());
        return new RunnerAssignment(session.status(), config, stored, session.deadline().orElse(null),
                recordCallAudio);
    }
}
