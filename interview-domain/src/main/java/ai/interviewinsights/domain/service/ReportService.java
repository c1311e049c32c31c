package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.interview.InterviewContext;
import ai.interviewinsights.domain.model.recording.CallAudioRef;
import ai.interviewinsights.domain.model.recording.RecordingRef;
import ai.interviewinsights.domain.model.recording.RecordingStatus;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.port.in.GetInterviewReportUseCase;
import ai.interviewinsights.domain.port.in.RecordRecordingReadyUseCase;
import ai.interviewinsights.domain.port.out.EvaluationRepository;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import ai.interviewinsights.domain.port.out.SessionRepository;
import ai.interviewinsights.domain.port.out.TranscriptRepository;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/** The interview report, and keeping its recording link current. */
final class ReportService implements GetInterviewReportUseCase, RecordRecordingReadyUseCase {

    private static final System.Logger LOG = System.getLogger(ReportService.class.getName());

    private final SessionRepository sessions;
    private final TranscriptRepository transcripts;
    private final EvaluationRepository evaluations;
    private final Optional<RecordingGateway> recordingGateway;
    private final Clock clock;
    private final InterviewStarter starter;
    private final SessionStore store;
    private final Audit audit;

    ReportService(SessionRepository sessions, TranscriptRepository transcripts, EvaluationRepository evaluations,
            Optional<RecordingGateway> recordingGateway, Clock clock, InterviewStarter starter, SessionStore store,
            Audit audit) {
        this.sessions = sessions;
        this.transcripts = transcripts;
        this.evaluations = evaluations;
        this.recordingGateway = recordingGateway;
        this.clock = clock;
        this.starter = starter;
        this.store = store;
        this.audit = audit;
    }

    @Override
    public InterviewReport report(Principal principal, SessionId id) {
        Access.requireStaff(principal);
        AccessScope scope = AccessScope.of(principal);
        InterviewSession session = store.load(scope, id);
        InterviewContext context = starter.context(scope, session);
        return new InterviewReport(session, context.position(), context.candidate(),
                transcripts.read(scope, session.tenant(), id), recordingStatus(session),
                evaluations.findLatest(scope, session.tenant(), id));
    }

    /** The provider's view of the recording; a report is still served when the provider does not answer. */
    private Optional<RecordingStatus> recordingStatus(InterviewSession session) {
        Optional<VideoId> video = session.recording().flatMap(RecordingRef::video);
        if (video.isEmpty() || recordingGateway.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(recordingGateway.get().status(video.get()));
        } catch (DomainException e) {
            LOG.log(Level.INFO, "recording status of session {0} unavailable: {1}", session.id(), e.code());
            return Optional.empty();
        }
    }

    @Override
    public Optional<SessionId> recordingReady(VideoId videoId) {
        if (recordingGateway.isEmpty()) {
            return Optional.empty();
        }
        AccessScope scope = AccessScope.system("recording-webhook");
        Optional<InterviewSession> found = sessions.findByVideo(scope, videoId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RecordingStatus status = recordingGateway.get().status(videoId);
        Optional<URI> url = status.playbackUrl();
        if (status.phase() != RecordingStatus.Phase.PLAYABLE || url.isEmpty()) {
            return Optional.of(found.get().id());
        }
        InterviewSession session = found.get();
        // The video is the browser's recording or, for a proxy session, the runner's own call audio (ADR 0021).
        Optional<CallAudioRef> callAudio = session.callAudio().filter(a -> a.videoId().equals(videoId));
        if (callAudio.isPresent()) {
            if (callAudio.get().url().equals(url)) {
                return Optional.of(session.id()); // a retried delivery: nothing changed
            }
            store.update(scope, session.id(), s -> s.callAudio().filter(a -> a.videoId().equals(videoId))
                    .ifPresent(a -> s.attachCallAudio(a.withPlaybackUrl(url.get()), clock)));
            audit.record(scope, session.tenant(), "recording.call_audio_playable", "session:" + session.id(),
                    Map.of("video", videoId.value()));
            return Optional.of(session.id());
        }
        if (session.recording().flatMap(RecordingRef::url).equals(url)) {
            return Optional.of(session.id()); // a retried delivery: nothing changed
        }
        store.update(scope, session.id(), s -> s.attachRecording(
                s.recording().orElse(RecordingRef.ofVideo(videoId)).withPlaybackUrl(url.get()), clock));
        audit.record(scope, session.tenant(), "recording.playable", "session:" + session.id(),
                Map.of("video", videoId.value()));
        return Optional.of(session.id());
    }
}
