package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.FailureReason;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.realtime.ClientSecret;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.model.recording.RecordingRef;
import ai.interviewinsights.domain.model.recording.RecordingReport;
import ai.interviewinsights.domain.model.session.RunnerAssignment;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionQuery;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.port.in.BrowseSessionsUseCase;
import ai.interviewinsights.domain.port.in.CancelInterviewUseCase;
import ai.interviewinsights.domain.port.in.EndInterviewUseCase;
import ai.interviewinsights.domain.port.in.FailInterviewUseCase;
import ai.interviewinsights.domain.port.in.GetRunnerAssignmentUseCase;
import ai.interviewinsights.domain.port.in.IssueRealtimeSecretUseCase;
import ai.interviewinsights.domain.port.in.RecordCallConnectedUseCase;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/** The status changes of a running interview, reported by its runner, its candidate or the tenant's staff. */
final class SessionLifecycleService implements RecordCallConnectedUseCase, EndInterviewUseCase,
        FailInterviewUseCase, CancelInterviewUseCase, IssueRealtimeSecretUseCase, GetRunnerAssignmentUseCase,
        BrowseSessionsUseCase {

    private final InterviewPorts ports;
    private final InterviewPolicies policies;
    private final InterviewStarter starter;
    private final SessionStore store;
    private final Audit audit;
    private final Teardown teardown;

    SessionLifecycleService(InterviewPorts ports, InterviewPolicies policies, InterviewStarter starter,
                            SessionStore store, Audit audit, Teardown teardown) {
        this.ports = ports;
        this.policies = policies;
        this.starter = starter;
        this.store = store;
        this.audit = audit;
        this.teardown = teardown;
    }

    @Override
    public void connected(CallConnected command) {
        Access.requireRunner(command.principal(), command.session());
        AccessScope scope = AccessScope.of(command.principal());
        InterviewSession session = store.update(scope, command.session(),
                s -> s.callConnected(command.call(), ports.clock()));
        audit.record(scope, session.tenant(), "session.call_connected", "session:" + session.id(),
                Map.of("call", command.call().value()));
    }

    @Override
    public EndedInterview end(EndInterview command) {
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
                s.beginEnding(command.reason(), ports.clock());
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
            kept = kept.reportedAt(ports.clock().instant());
        }
        s.attachRecording(kept, ports.clock());
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
                s.fail(FailureReason.cut(reason), ports.clock());
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
        InterviewSession session = store.update(scope, id, s -> s.cancel(ports.clock()));
        audit.record(scope, session.tenant(), "session.cancelled", "session:" + id, Map.of("why", why));
        if (stopRunner) {
            teardown.stopEverything(session);
        } else {
            session.callId().ifPresent(teardown::hangUp);
        }
        // A cancelled interview keeps no video: whatever was uploaded is deleted with it.
        session.recording().flatMap(RecordingRef::video).ifPresent(teardown::deleteVideo);
    }

    @Override
    public ClientSecret issue(IssueRealtimeSecret command) {
        Principal principal = command.principal();
        Access.requireSession(principal, command.session());
        AccessScope scope = AccessScope.of(principal);
        InterviewSession session = store.load(scope, command.session());
        if (session.status() != SessionStatus.READY && session.status() != SessionStatus.ACTIVE) {
            throw DomainException.gone("session.not_live", "the session is " + session.status()
                    + "; a Realtime secret is only issued while it is READY or ACTIVE");
        }
        RealtimeSessionConfig config = RealtimeSessionConfig.from(starter.context(scope, session));
        ClientSecret secret = ports.realtime().mintClientSecret(config, policies.realtimeSecretTtl());
        audit.record(scope, session.tenant(), "session.realtime_secret_issued", "session:" + session.id(), Map.of());
        return secret;
    }

    @Override
    public RunnerAssignment assignment(Principal runner, SessionId id) {
        Access.requireRunner(runner, id);
        AccessScope scope = AccessScope.of(runner);
        InterviewSession session = store.load(scope, id);
        RealtimeSessionConfig config = RealtimeSessionConfig.from(starter.context(scope, session));
        long stored = ports.transcripts().nextPosition(scope, session.tenant(), id); // never the whole transcript
        return new RunnerAssignment(session.status(), config, stored);
    }

    @Override
    public List<InterviewSession> listRecent(Principal principal, int limit) {
        if (limit < 1 || limit > 500) {
            throw DomainException.invalid("invalid.limit", "limit must be between 1 and 500");
        }
        return ports.sessions().listRecent(AccessScope.of(principal), limit);
    }

    @Override
    public SessionQuery.Page search(Principal principal, SessionQuery query) {
        java.util.Objects.requireNonNull(query, "query");
        return ports.sessions().search(AccessScope.of(principal), query);
    }

    @Override
    public InterviewSession get(Principal principal, SessionId id) {
        Access.requireSession(principal, id);
        return store.load(AccessScope.of(principal), id);
    }
}
