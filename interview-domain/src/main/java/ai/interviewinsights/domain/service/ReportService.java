package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.interview.InterviewContext;
import ai.interviewinsights.domain.model.recording.RecordingRef;
import ai.interviewinsights.domain.model.recording.RecordingStatus;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.port.in.GetInterviewReportUseCase;
import ai.interviewinsights.domain.port.in.RecordRecordingReadyUseCase;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** The interview report, and keeping its recording link current. */
final class ReportService implements GetInterviewReportUseCase, RecordRecordingReadyUseCase {

    private static final System.Logger LOG = System.getLogger(ReportService.class.getName());

    private final InterviewPorts ports;
    private final InterviewStarter starter;
    private final SessionStore store;
    private final Audit audit;

    ReportService(InterviewPorts ports, InterviewStarter starter, SessionStore store, Audit audit) {
        this.ports = ports;
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
                ports.transcripts().read(scope, session.tenant(), id), recordingStatus(session),
                ports.evaluations().findLatest(scope, session.tenant(), id));
    }

    /** The provider's view of the recording; a report is still served when the provider does not answer. */
    private Optional<RecordingStatus> recordingStatus(InterviewSession session) {
        Optional<VideoId> video = session.recording().flatMap(RecordingRef::video);
        if (video.isEmpty() || ports.recording().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ports.recording().get().status(video.get()));
        } catch (DomainException e) {
            LOG.log(Level.INFO, "recording status of session {0} unavailable: {1}", session.id(), e.code());
            return Optional.empty();
        }
    }

    @Override
    public Optional<SessionId> recordingReady(VideoId videoId) {
        if (ports.recording().isEmpty()) {
            return Optional.empty();
        }
        AccessScope scope = AccessScope.system("recording-webhook");
        Optional<InterviewSession> found = ports.sessions().findByVideo(scope, videoId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RecordingStatus status = ports.recording().get().status(videoId);
        Optional<URI> url = status.playbackUrl();
        if (status.phase() != RecordingStatus.Phase.PLAYABLE || url.isEmpty()) {
            return Optional.of(found.get().id());
        }
        InterviewSession session = found.get();
        if (session.recording().flatMap(RecordingRef::url).equals(url)) {
            return Optional.of(session.id()); // a retried delivery: nothing changed
        }
        store.update(scope, session.id(), s -> s.attachRecording(
                s.recording().orElse(RecordingRef.ofVideo(videoId)).withPlaybackUrl(url.get()), ports.clock()));
        audit.record(scope, session.tenant(), "recording.playable", "session:" + session.id(),
                Map.of("video", videoId.value()));
        return Optional.of(session.id());
    }
}
