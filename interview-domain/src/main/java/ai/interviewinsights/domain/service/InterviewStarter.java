package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import ai.interviewinsights.domain.model.interview.InterviewContext;
import ai.interviewinsights.domain.model.interview.InterviewSettings;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.position.Tenant;
import ai.interviewinsights.domain.model.recording.RecordingRef;
import ai.interviewinsights.domain.model.recording.RecordingRequest;
import ai.interviewinsights.domain.model.recording.UploadGrant;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.runner.RunnerSpec;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionOrigin;
import ai.interviewinsights.domain.port.in.StartedInterview;
import ai.interviewinsights.domain.port.out.SessionTokenIssuer;
import ai.interviewinsights.domain.port.out.SessionTokenIssuer.IssuedToken;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Starts a session the same way for both flows, admin and invite, so that they cannot drift apart: the invite flow
 * of the original MVP lost transcripts precisely because it set sessions up differently.
 */
final class InterviewStarter {

    private static final System.Logger LOG = System.getLogger(InterviewStarter.class.getName());

    private final InterviewPorts ports;
    private final InterviewPolicies policies;
    private final SessionStore store;
    private final Audit audit;

    InterviewStarter(InterviewPorts ports, InterviewPolicies policies, SessionStore store, Audit audit) {
        this.ports = ports;
        this.policies = policies;
        this.store = store;
        this.audit = audit;
    }

    InterviewContext context(AccessScope scope, TenantId tenantId, PositionId positionId, CandidateId candidateId,
                             InterviewSettings settings) {
        Tenant tenant = ports.tenants().find(scope, tenantId)
                .orElseThrow(() -> DomainException.notFound("tenant.not_found", "no tenant " + tenantId));
        Position position = ports.positions().find(scope, positionId)
                .orElseThrow(() -> DomainException.notFound("position.not_found", "no position " + positionId));
        Candidate candidate = ports.candidates().find(scope, candidateId)
                .orElseThrow(() -> DomainException.notFound("candidate.not_found", "no candidate " + candidateId));
        return new InterviewContext(tenant, position, candidate, settings);
    }

    InterviewContext context(AccessScope scope, InterviewSession session) {
        return context(scope, session.tenant(), session.position(), session.candidate(), session.settings());
    }

    /** Creates the session, provisions its runner and prepares the recording. */
    StartedInterview start(AccessScope scope, InterviewContext context, SessionOrigin origin, UserId startedBy) {
        TenantId tenant = context.company().id();
        InterviewSession session = InterviewSession.start(new SessionId(ports.ids().newId()), tenant,
                context.candidate().id(), context.position().id(), context.settings(), origin, startedBy,
                ports.clock());
        session.beginProvisioning(ports.clock());
        session = store.save(scope, session);
        audit.record(scope, tenant, "session.started", "session:" + session.id(),
                Map.of("origin", origin.name(), "architecture", context.settings().architecture().wireName()));

        Instant tokensExpire = ports.clock().instant()
                .plus(context.settings().maxDuration()).plus(policies.tokenMargin());
        IssuedToken runnerToken = ports.tokens().issue(
                new SessionTokenIssuer.Grant(tenant, session.id(), Role.RUNNER, tokensExpire));
        RunnerSpec spec = new RunnerSpec(session.id(), tenant, context.candidate().id(), context.position().id(),
                context.settings().architecture(), runnerToken.token(),
                ports.tokens().clientVerificationKey(tenant, session.id()), context.settings().maxDuration());
        RunnerRef runner;
        try {
            runner = ports.runners().provision(spec);
        } catch (RuntimeException e) {
            String reason = "runner could not be provisioned: " + describe(e);
            store.update(scope, session.id(), s -> s.fail(reason, ports.clock()));
            audit.record(scope, tenant, "session.failed", "session:" + session.id(), Map.of("reason", reason));
            throw new DomainException(ErrorKind.UNAVAILABLE, "runner.provisioning_failed",
                    "the interview could not be started: " + describe(e), true, e);
        }
        Optional<UploadGrant> recording = prepareRecording(context, session.id());
        session = store.update(scope, session.id(), s -> {
            s.runnerReady(runner, ports.clock());
            recording.ifPresent(grant -> s.attachRecording(RecordingRef.ofVideo(grant.videoId()), ports.clock()));
        });
        return joinable(session, context, recording);
    }

    /**
     * A live session whose runner is gone gets a fresh one (same session, same name; it carries on after what is
     * stored), so a candidate who comes back is never handed a dead link.
     */
    StartedInterview withLiveRunner(AccessScope scope, InterviewSession session, InterviewContext context) {
        RunnerRef current = session.runner().orElse(null);
        if (current != null && ports.runners().isAlive(session.tenant(), current.runnerId())) {
            return joinable(session, context, Optional.empty()).rejoined();
        }
        Instant tokensExpire = ports.clock().instant()
                .plus(context.settings().maxDuration()).plus(policies.tokenMargin());
        IssuedToken runnerToken = ports.tokens().issue(
                new SessionTokenIssuer.Grant(session.tenant(), session.id(), Role.RUNNER, tokensExpire));
        RunnerSpec spec = new RunnerSpec(session.id(), session.tenant(), session.candidate(), session.position(),
                session.settings().architecture(), runnerToken.token(),
                ports.tokens().clientVerificationKey(session.tenant(), session.id()), session.settings().maxDuration());
        RunnerRef fresh;
        try {
            fresh = ports.runners().provision(spec);
        } catch (RuntimeException e) {
            throw new DomainException(ErrorKind.UNAVAILABLE, "runner.provisioning_failed",
                    "the interview could not be resumed: " + describe(e), true, e);
        }
        InterviewSession resumed = store.update(scope, session.id(), s -> s.runnerReplaced(fresh, ports.clock()));
        audit.record(scope, session.tenant(), "session.runner_replaced", "session:" + session.id(),
                Map.of("previous", current == null ? "" : current.runnerId(), "runner", fresh.runnerId()));
        return joinable(resumed, context, Optional.empty()).rejoined();
    }

    /** What a browser needs to (re)join a live session: a fresh candidate token in the runner's URL. */
    StartedInterview joinable(InterviewSession session, InterviewContext context, Optional<UploadGrant> recording) {
        RunnerRef runner = session.runner().orElseThrow(() -> DomainException.conflict("session.no_runner",
                "the session has no runner yet"));
        Instant expires = ports.clock().instant().plus(session.settings().maxDuration()).plus(policies.tokenMargin());
        IssuedToken clientToken = ports.tokens().issue(
                new SessionTokenIssuer.Grant(session.tenant(), session.id(), Role.CANDIDATE, expires));
        String url = runner.websocketUrl(clientToken.token().reveal(), session.id(), session.tenant());
        return new StartedInterview(session, url, clientToken, context, recording);
    }

    /** Recording is best effort: an interview is never refused because the video provider is down. */
    private Optional<UploadGrant> prepareRecording(InterviewContext context, SessionId session) {
        if (ports.recording().isEmpty()) {
            return Optional.empty();
        }
        String title = context.position().title() + " - " + context.candidate().name();
        RecordingRequest request = new RecordingRequest(context.company().id(), session,
                title.length() > 256 ? title.substring(0, 256) : title,
                context.settings().maxDuration().plus(policies.recordingMargin()));
        try {
            return Optional.of(ports.recording().get().prepareUpload(request));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session {0}: recording unavailable, interview continues without video: {1}",
                    session, describe(e));
            return Optional.empty();
        }
    }

    static String describe(RuntimeException e) {
        return e instanceof DomainException d ? d.code() + " (" + d.getMessage() + ")" : e.getClass().getSimpleName();
    }
}
