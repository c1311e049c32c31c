package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.FailureReason;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.recording.RecordingRef;
import ai.interviewinsights.domain.model.recording.RecordingReport;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.port.in.CancelInterviewUseCase;
import ai.interviewinsights.domain.port.in.EndInterviewUseCase;
import ai.interviewinsights.domain.port.in.FailInterviewUseCase;
import ai.interviewinsights.domain.port.in.RecordCallConnectedUseCase;
import ai.interviewinsights.domain.port.out.EvaluationQueue;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/** The status changes of a running interview, reported by its runner, its candidate or the tenant's staff. */
final class SessionLifecycleService implements RecordCallConnectedUseCase, EndInterviewUseCase,
        FailInterviewUseCase, CancelInterviewUseCase {

    private final Clock clock;
    private final SessionStore store;
    private final Audit audit;
    private final Teardown teardown;
    private final EvaluationQueue evaluations;

    SessionLifecycleService(Clock clock, SessionStore store, Audit audit, Teardown teardown,
                            EvaluationQueue evaluations) {
        this.clock = clock;
        this.store = store;
        this.audit = audit;
        this.teardown = teardown;
        this.evaluations = evaluations;
    }

    @Override
    public void connected(CallConnected command) {
        Access.requireRunner(command.principal(), command.session());
        AccessScope scope = AccessScope.of(command.principal());
        InterviewSession session = store.update(scope, command.session(),
                s -> s.callConnected(command.call(), clock));
        audit.record(scope, session.tenant(), "session.call_connected", "session:" + session.id(),
                Map.of("call", command.call().value()));
    }

    @Override
    public EndedInterview end(EndInterview command) {
        EndedInterview ended = endSession(command);
        if (ended.transcriptFinal()) {
            // The one place that decides to evaluate after an end, whichever edge the runner's report came through.
            evaluations.queue(ended.session().tenant(), ended.session().id());
        }
        return ended;
    }

    private EndedInterview endSession(EndInterview command) {
        Principal principal = command.principal();
        Access.requireSession(principal, command.session());
        AccessScope scope = AccessScope.of(principal);
        RecordingReport report = command.recording();
        boolean byRunner = principal.role() == Role.RUNNER;
        InterviewSession before = store.load(scope, command.session());
        if (before.status() == SessionStatus.READY) {
            // The call never connected: there is nothing to evaluate, the interview simply did not happen. A runner
            // reporting this is still telling its browser and exits by itself: it must not be killed mid-request.
            cancel(scope, before.id(), "ended before the call connected", !byRunner);
            return new EndedInterview(store.load(scope, before.id()), false);
        }
        if (before.status() != SessionStatus.ACTIVE) {
            // Ending twice is not an error: a retry, or the runner reporting what staff already did.
            return new EndedInterview(before, byRunner && before.status() == SessionStatus.ENDING);
        }
        InterviewSession session = store.update(scope, command.session(), s -> {
            if (s.status() == SessionStatus.ACTIVE) {
                s.beginEnding(command.reason(), clock);
            }
            if (report != null) {
                keepRecordingReport(s, report);
            }
        });
        audit.record(scope, session.tenant(), "session.ended", "session:" + session.id(),
                Map.of("reason", command.reason().name()));
        if (report != null && report.videoId() != null
                && !session.recording().flatMap(RecordingRef::video).equals(report.video())) {
            // Not the video this session's upload token was for: kept out of the session (it could be anyone's),
            // said in the audit log, and the end goes on (a wrong id must never keep an interview from ending).
            audit.record(scope, session.tenant(), "session.recording_report_refused", "session:" + session.id(),
                    Map.of("reported_video", report.videoId().value()));
        }
        if (!byRunner) {
            // The runner hangs up itself when it reports the end; anyone else's end must stop the call here.
            session.callId().ifPresent(teardown::hangUp);
        }
        return new EndedInterview(session, byRunner);
    }

    /**
     * What the browser reported at the end: its playback URL is kept; its video id only confirms the one the
     * session's upload token was issued for (then the session notes when), never replaces it.
     */
    private void keepRecordingReport(InterviewSession s, RecordingReport report) {
        Optional<RecordingRef> issued = s.recording();
        boolean confirmed = report.video().isPresent()
                && issued.flatMap(RecordingRef::video).equals(report.video());
        URI url = report.url();
        if (issued.isEmpty() && url == null) {
            return;
        }
        RecordingRef kept = issued.orElseGet(() -> new RecordingRef(null, url));
        if (url != null) {
            kept = kept.withPlaybackUrl(url);
        }
        if (confirmed) {
            kept = kept.reportedAt(clock.instant());
        }
        s.attachRecording(kept, clock);
    }

    @Override
    public void fail(FailInterview command) {
        command.scope().principal().ifPresent(p -> Access.requireRunner(p, command.session()));
        InterviewSession session = store.load(command.scope(), command.session());
        if (session.status().isTerminal()) {
            return;
        }
        String reason = command.reason().isBlank() ? "the runner failed" : command.reason();
        session = store.update(command.scope(), command.session(), s -> {
            if (!s.status().isTerminal()) {
                s.fail(FailureReason.cut(reason), clock);
            }
        });
        audit.record(command.scope(), session.tenant(), "session.failed", "session:" + session.id(),
                Map.of("reason", session.failureReason().orElse("")));
        teardown.stopEverything(session);
    }

    @Override
    public void cancel(Principal principal, SessionId id) {
        Access.requireStaff(principal);
        cancel(AccessScope.of(principal), id, "cancelled by staff", true);
    }

    private void cancel(AccessScope scope, SessionId id, String why, boolean stopRunner) {
        InterviewSession session = store.update(scope, id, s -> s.cancel(clock));
        audit.record(scope, session.tenant(), "session.cancelled", "session:" + id, Map.of("why", why));
        if (stopRunner) {
            teardown.stopEverything(session);
        } else {
            session.callId().ifPresent(teardown::hangUp);
        }
        // A cancelled interview keeps no video: whatever was uploaded is deleted with it (the call's audio too).
        session.videos().forEach(teardown::deleteVideo);
    }
}
