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
import ai.interviewinsights.domain.model.recording.RecordingGrantTiming;
import ai.interviewinsights.domain.model.recording.RecordingRef;
import ai.interviewinsights.domain.model.recording.RecordingRequest;
import ai.interviewinsights.domain.model.recording.UploadGrant;
import ai.interviewinsights.domain.model.runner.LeaseHolder;
import ai.interviewinsights.domain.model.runner.RunnerLease;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.runner.RunnerSpec;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionOrigin;
import ai.interviewinsights.domain.port.in.StartedInterview;
import ai.interviewinsights.domain.port.out.CandidateRepository;
import ai.interviewinsights.domain.port.out.IdGenerator;
import ai.interviewinsights.domain.port.out.PositionRepository;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import ai.interviewinsights.domain.port.out.RunnerLeases;
import ai.interviewinsights.domain.port.out.RunnerProvisioner;
import ai.interviewinsights.domain.port.out.SessionTokenIssuer;
import ai.interviewinsights.domain.port.out.SessionTokenIssuer.IssuedToken;
import ai.interviewinsights.domain.port.out.TenantRepository;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Starts a session the same way for both flows, admin and invite, so that they cannot drift apart: the invite flow
 * of the original MVP lost transcripts precisely because it set sessions up differently.
 */
final class InterviewStarter {

    private static final System.Logger LOG = System.getLogger(InterviewStarter.class.getName());

    private final TenantRepository tenants;
    private final PositionRepository positions;
    private final CandidateRepository candidates;
    private final RunnerProvisioner runners;
    private final Optional<RecordingGateway> recordingGateway;
    private final SessionTokenIssuer tokens;
    private final IdGenerator ids;
    private final Clock clock;
    private final InterviewPolicies policies;
    private final SessionStore store;
    private final Audit audit;
    private final RunnerLeases leases;
    private final LeaseHolder instance;
    /** Where the recording is prepared while the runner is provisioned (inline unless the app gives threads). */
    private final Executor alongside;

    InterviewStarter(TenantRepository tenants, PositionRepository positions, CandidateRepository candidates,
            RunnerProvisioner runners, Optional<RecordingGateway> recordingGateway, SessionTokenIssuer tokens,
            IdGenerator ids, Clock clock, InterviewPolicies policies, SessionStore store, Audit audit,
            RunnerLeases leases, LeaseHolder instance, Executor alongside) {
        this.alongside = alongside;
        this.leases = leases;
        this.instance = instance;
        this.tenants = tenants;
        this.positions = positions;
        this.candidates = candidates;
        this.runners = runners;
        this.recordingGateway = recordingGateway;
        this.tokens = tokens;
        this.ids = ids;
        this.clock = clock;
        this.policies = policies;
        this.store = store;
        this.audit = audit;
    }

    InterviewContext context(AccessScope scope, TenantId tenantId, PositionId positionId, CandidateId candidateId,
                             InterviewSettings settings) {
        Tenant tenant = tenants.find(scope, tenantId)
                .orElseThrow(() -> DomainException.notFound("tenant.not_found", "no tenant " + tenantId));
        Position position = positions.find(scope, positionId)
                .orElseThrow(() -> DomainException.notFound("position.not_found", "no position " + positionId));
        Candidate candidate = candidates.find(scope, candidateId)
                .orElseThrow(() -> DomainException.notFound("candidate.not_found", "no candidate " + candidateId));
        return new InterviewContext(tenant, position, candidate, settings);
    }

    InterviewContext context(AccessScope scope, InterviewSession session) {
        return context(scope, session.tenant(), session.position(), session.candidate(), session.settings());
    }

    /**
     * Creates the session, provisions its runner and, alongside (ADR 0024), prepares the recording, unless the
     * browser asks for its grant after READY (ADR 0028): then the start waits for no recording provider.
     */
    StartedInterview start(AccessScope scope, InterviewContext context, SessionOrigin origin, UserId startedBy,
                           RecordingGrantTiming recordingGrant) {
        TenantId tenant = context.company().id();
        InterviewSession session = InterviewSession.start(new SessionId(ids.newId()), tenant,
                context.candidate().id(), context.position().id(), context.settings(), origin, startedBy,
                clock);
        session.beginProvisioning(clock);
        session = store.save(scope, session);
        audit.record(scope, tenant, "session.started", "session:" + session.id(),
                Map.of("origin", origin.name(), "architecture", context.settings().architecture().wireName()));

        Instant tokensExpire = clock.instant()
                .plus(context.settings().maxDuration()).plus(policies.tokenMargin());
        IssuedToken runnerToken = tokens.issue(
                new SessionTokenIssuer.Grant(tenant, session.id(), Role.RUNNER, tokensExpire));
        RunnerSpec spec = new RunnerSpec(session.id(), tenant, context.candidate().id(), context.position().id(),
                context.settings().architecture(), runnerToken.token(),
                tokens.clientVerificationKey(tenant, session.id()), context.settings().maxDuration());
        // The recording's two round trips to the provider need nothing of the runner: they run alongside its start
        // (a JVM's few hundred ms, a machine's seconds) instead of after it.
        SessionId sessionId = session.id();
        CompletableFuture<Optional<UploadGrant>> preparing = recordingGrant == RecordingGrantTiming.AFTER_READY
                ? CompletableFuture.completedFuture(Optional.empty())
                : CompletableFuture.supplyAsync(() -> prepareRecording(context, sessionId), alongside);
        RunnerRef provisioned = null;
        try {
            provisioned = runners.provision(spec);
            // Any instance finds the runner through its lease from now on (ADR 0018).
            if (!leases.grant(RunnerLease.grant(session.id(), tenant, provisioned, instance, clock.instant(),
                    policies.runnerLease()), null)) {
                throw DomainException.conflict("runner.lease_taken", "another runner already serves this session");
            }
        } catch (RuntimeException e) {
            if (provisioned != null) {
                destroyQuietly(tenant, provisioned); // a runner nobody can find must not run on
            }
            // The video prepared alongside will never be recorded: deleted once it exists.
            preparing.thenAccept(prepared -> prepared.ifPresent(grant -> discardVideo(sessionId, grant)));
            String reason = "runner could not be provisioned: " + DomainException.describe(e);
            store.update(scope, session.id(), s -> s.fail(reason, clock));
            audit.record(scope, tenant, "session.failed", "session:" + session.id(), Map.of("reason", reason));
            throw new DomainException(ErrorKind.UNAVAILABLE, "runner.provisioning_failed",
                    "the interview could not be started: " + DomainException.describe(e), true, e);
        }
        RunnerRef runner = provisioned;
        Optional<UploadGrant> recording = preparing.join(); // best effort: never fails (prepareRecording)
        try {
            session = store.update(scope, session.id(), s -> {
                s.runnerReady(runner, clock);
                recording.ifPresent(grant -> s.attachRecording(RecordingRef.ofVideo(grant.videoId()), clock));
            });
        } catch (RuntimeException e) {
            // Called off while its runner started (staff's cancel, the reaper, a standby lost mid-claim): the session
            // names neither the runner nor the video, so nothing that tears it down would find them. Undone here.
            destroyQuietly(tenant, runner);
            recording.ifPresent(grant -> discardVideo(sessionId, grant));
            try {
                leases.release(sessionId, runner.runnerId());
            } catch (RuntimeException leaseKept) {
                e.addSuppressed(leaseKept); // it names a stopped runner: the reconciler's, in time
            }
            throw e;
        }
        return joinable(session, context, recording); // after READY, it names where to ask for the grant
    }

    /**
     * A live session whose runner is gone gets a fresh one (same session, same name; it carries on after what is
     * stored, within the session's own deadline), so whoever comes back (the candidate through the invite, staff in
     * the admin flow) is never handed a dead link. A runner counts as alive when its provisioner says so, or while
     * the instance that runs it keeps its lease alive (a session started on another instance); see ADR 0018.
     */
    StartedInterview withLiveRunner(AccessScope scope, InterviewSession session, InterviewContext context) {
        RunnerRef current = session.runner().orElse(null);
        if (current != null && isAlive(session, current)) {
            return joinable(session, context, Optional.empty()).rejoined();
        }
        switch (session.status()) {
            case READY, ACTIVE -> {
            }
            case CREATED, PROVISIONING -> throw new DomainException(ErrorKind.CONFLICT, "session.starting",
                    "the interview is still being started; retry in a moment", true, null);
            default -> throw DomainException.gone("session.not_live", "the interview is " + session.status()
                    + " and its runner has stopped");
        }
        Instant now = clock.instant();
        Instant tokensExpire = now.plus(context.settings().maxDuration()).plus(policies.tokenMargin());
        IssuedToken runnerToken = tokens.issue(
                new SessionTokenIssuer.Grant(session.tenant(), session.id(), Role.RUNNER, tokensExpire));
        RunnerSpec spec = new RunnerSpec(session.id(), session.tenant(), session.candidate(), session.position(),
                session.settings().architecture(), runnerToken.token(),
                tokens.clientVerificationKey(session.tenant(), session.id()), timeLeft(session, now));
        RunnerRef fresh;
        try {
            fresh = runners.provision(spec);
        } catch (RuntimeException e) {
            throw new DomainException(ErrorKind.UNAVAILABLE, "runner.provisioning_failed",
                    "the interview could not be resumed: " + DomainException.describe(e), true, e);
        }
        // Of two instances replacing the same lost runner at once, the lease decides: the loser stops its runner
        // and the caller retries (by then the winner's runner is the session's).
        boolean granted;
        try {
            granted = leases.grant(RunnerLease.grant(session.id(), session.tenant(), fresh, instance,
                    clock.instant(), policies.runnerLease()), current == null ? null : current.runnerId());
        } catch (RuntimeException e) {
            destroyQuietly(session.tenant(), fresh);
            throw e;
        }
        if (!granted) {
            // The winner's runner may be this very one: a provisioner starts a session's runner once, so two rejoins
            // at once through one instance are handed the same, and a provider every instance sees (Fly: a machine
            // per session, found by its name) hands two instances the same. Stopped here, the winner would hand out a
            // dead link. Local runners' ids (process ids) mean the same runner only on the instance that holds them.
            boolean theWinners = leases.find(session.id())
                    .filter(lease -> lease.names(fresh.runnerId())
                            && (runners.seesEveryRunner() || lease.holder().equals(instance))).isPresent();
            if (!theWinners) {
                destroyQuietly(session.tenant(), fresh);
            }
            throw new DomainException(ErrorKind.CONFLICT, "session.resuming",
                    "the interview is being resumed right now; retry in a moment", true, null);
        }
        InterviewSession resumed;
        try {
            resumed = store.update(scope, session.id(), s -> s.runnerReplaced(fresh, clock));
        } catch (RuntimeException e) {
            // The session ended meanwhile (or cannot be saved): the fresh runner has nothing to serve.
            leases.release(session.id(), fresh.runnerId());
            destroyQuietly(session.tenant(), fresh);
            throw e;
        }
        audit.record(scope, session.tenant(), "session.runner_replaced", "session:" + session.id(),
                Map.of("previous", current == null ? "" : current.runnerId().value(), "runner", fresh.runnerId().value()));
        return joinable(resumed, context, Optional.empty()).rejoined();
    }

    /**
     * Whether the session's runner still runs: the provisioner knows its own (a local process of this instance, any
     * Fly machine); a runner another instance runs is alive while that instance renews its lease. A lease this very
     * instance holds for a runner its provisioner no longer has is a leftover of its own earlier run (killed and
     * restarted on the same data directory): that runner is gone.
     */
    private boolean isAlive(InterviewSession session, RunnerRef runner) {
        if (runners.isAlive(session.tenant(), runner.runnerId())) {
            return true;
        }
        if (runners.seesEveryRunner()) {
            return false; // the provider's word is final (Fly's API answers for every machine)
        }
        return leases.find(session.id())
                .filter(lease -> lease.names(runner.runnerId()) && !lease.holder().equals(instance)
                        && lease.isLiveAt(clock.instant()))
                .isPresent();
    }

    private void destroyQuietly(ai.interviewinsights.domain.model.identity.TenantId tenant, RunnerRef runner) {
        try {
            runners.destroy(tenant, runner.runnerId());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "runner {0} not destroyed yet (the lease renewal or the reconciler will): {1}",
                    runner.runnerId(), DomainException.describe(e));
        }
    }

    /**
     * What is left of the session's budget: a replacement runner carries on within the deadline set when the call
     * first connected (it learns the deadline itself from its assignment; this bounds its machine). At least a
     * minute, so a runner started at the very end can still flush and report the end.
     */
    static Duration timeLeft(InterviewSession session, Instant now) {
        Duration left = session.deadline().map(deadline -> Duration.between(now, deadline))
                .orElse(session.settings().maxDuration());
        return left.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : left;
    }

    /** What a browser needs to (re)join a live session: a fresh candidate token in the runner's URL. */
    StartedInterview joinable(InterviewSession session, InterviewContext context, Optional<UploadGrant> recording) {
        RunnerRef runner = session.runner().orElseThrow(() -> DomainException.conflict("session.no_runner",
                "the session has no runner yet"));
        Instant expires = clock.instant().plus(session.settings().maxDuration()).plus(policies.tokenMargin());
        IssuedToken clientToken = tokens.issue(
                new SessionTokenIssuer.Grant(session.tenant(), session.id(), Role.CANDIDATE, expires));
        String url = runner.websocketUrl(clientToken.token().reveal(), session.id(), session.tenant());
        StartedInterview joinable = new StartedInterview(session, url, clientToken, context, recording);
        // No grant with this and no video yet, a provider configured: the browser may ask for it (ADR 0028) - a start
        // that asked for it after READY, one whose provider failed during the start, a rejoin before the first ask.
        return recording.isEmpty() && recordingGateway.isPresent() && session.recording().isEmpty()
                ? joinable.grantingRecordingAfterReady() : joinable;
    }

    private void discardVideo(SessionId session, UploadGrant grant) {
        try {
            recordingGateway.ifPresent(gateway -> gateway.delete(grant.videoId()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session {0}: the video {1} prepared for a runner that never started is left: {2}",
                    session, grant.videoId(), DomainException.describe(e));
        }
    }

    /** The interview's video, titled by the position and the candidate (api.video keeps at most 256 characters). */
    static RecordingRequest recordingRequest(InterviewContext context, SessionId session, Duration tokenLifetime) {
        return new RecordingRequest(context.company().id(), session,
                videoTitle(context.position(), context.candidate(), ""), tokenLifetime);
    }

    /**
     * The title of a video of a session already started (the browser's grant after READY, ADR 0028; a proxy call's
     * own audio, ADR 0021), ending in {@code suffix}: only what it names is read, the position and the candidate.
     */
    String videoTitle(AccessScope scope, InterviewSession session, String suffix) {
        Position position = positions.find(scope, session.position()).orElseThrow(
                () -> DomainException.notFound("position.not_found", "no position " + session.position()));
        Candidate candidate = candidates.find(scope, session.candidate()).orElseThrow(
                () -> DomainException.notFound("candidate.not_found", "no candidate " + session.candidate()));
        return videoTitle(position, candidate, suffix);
    }

    /** "position - candidate" and the suffix, cut to api.video's 256 characters before the suffix. */
    private static String videoTitle(Position position, Candidate candidate, String suffix) {
        String title = position.title() + " - " + candidate.name();
        int room = 256 - suffix.length();
        return (title.length() > room ? title.substring(0, room) : title) + suffix;
    }

    /** Recording is best effort: an interview is never refused because the video provider is down. */
    private Optional<UploadGrant> prepareRecording(InterviewContext context, SessionId session) {
        if (recordingGateway.isEmpty()) {
            return Optional.empty();
        }
        RecordingRequest request = recordingRequest(context, session,
                context.settings().maxDuration().plus(policies.recordingMargin()));
        try {
            return Optional.of(recordingGateway.get().prepareUpload(request));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session {0}: recording unavailable, interview continues without video: {1}",
                    session, DomainException.describe(e));
            return Optional.empty();
        }
    }
}
