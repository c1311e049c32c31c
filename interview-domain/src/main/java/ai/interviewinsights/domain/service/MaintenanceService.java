package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.runner.LiveRunner;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.port.in.EvaluateInterviewUseCase;
import ai.interviewinsights.domain.port.in.ExpireStaleSessionsUseCase;
import ai.interviewinsights.domain.port.in.ReconcileRunnersUseCase;
import ai.interviewinsights.domain.port.in.RenewRunnerLeasesUseCase;
import ai.interviewinsights.domain.port.out.RunnerLeases;
import ai.interviewinsights.domain.model.runner.LeaseHolder;
import ai.interviewinsights.domain.port.out.RunnerProvisioner;
import ai.interviewinsights.domain.port.out.SessionRepository;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The housekeeping jobs that keep cost and exposure bounded: the reaper for sessions nobody finishes, the
 * reconciler for runners nobody needs, and the renewal of the leases of the runners this instance runs.
 */
final class MaintenanceService implements ExpireStaleSessionsUseCase, ReconcileRunnersUseCase,
        RenewRunnerLeasesUseCase {

    private static final System.Logger LOG = System.getLogger(MaintenanceService.class.getName());
    private static final int BATCH = 200;

    private final SessionRepository sessions;
    private final RunnerProvisioner runners;
    private final Clock clock;
    private final InterviewPolicies policies;
    private final SessionStore store;
    private final Audit audit;
    private final Teardown teardown;
    private final EvaluateInterviewUseCase evaluator;
    private final RunnerLeases leases;
    private final LeaseHolder instance;

    MaintenanceService(SessionRepository sessions, RunnerProvisioner runners, Clock clock, InterviewPolicies policies,
            SessionStore store, Audit audit,
                       Teardown teardown, EvaluateInterviewUseCase evaluator, RunnerLeases leases,
                       LeaseHolder instance) {
        this.leases = leases;
        this.instance = instance;
        this.sessions = sessions;
        this.runners = runners;
        this.clock = clock;
        this.policies = policies;
        this.store = store;
        this.audit = audit;
        this.teardown = teardown;
        this.evaluator = evaluator;
    }

    @Override
    public ExpiryReport expireStale() {
        AccessScope scope = AccessScope.system("reaper");
        Instant now = clock.instant();
        Instant idleBefore = now.minus(min(policies.idleTimeout(), policies.endingGrace()));
        List<SessionId> expired = new ArrayList<>();
        List<SessionId> completed = new ArrayList<>();
        for (InterviewSession session : sessions.findIdle(scope, idleBefore, BATCH)) {
            try {
                if (session.status() == SessionStatus.ENDING) {
                    if (session.isIdle(now, policies.endingGrace())) {
                        evaluator.evaluate(session.tenant(), session.id());
                        completed.add(session.id());
                    }
                } else if (shouldExpire(session, now)) {
                    InterviewSession after = store.update(scope, session.id(), s -> {
                        if (!s.status().isTerminal()) {
                            s.expire(clock);
                        }
                    });
                    audit.record(scope, after.tenant(), "session.expired", "session:" + after.id(),
                            Map.of("was", session.status().name()));
                    teardown.stopEverything(after);
                    expired.add(session.id());
                }
            } catch (DomainException e) {
                // One broken session must not stop the reaper from handling the others.
                LOG.log(Level.WARNING, "reaper skipped session {0}: {1}", session.id(), e.code());
            }
        }
        return new ExpiryReport(expired, completed);
    }

    private boolean shouldExpire(InterviewSession session, Instant now) {
        if (session.status() == SessionStatus.ACTIVE) {
            // A talking session is never idle-expired; only one that overran its budget (its runner did not hang up).
            return session.deadline().map(d -> d.plus(policies.overrunGrace()).isBefore(now)).orElse(false);
        }
        return !session.status().isTerminal() && session.isIdle(now, policies.idleTimeout());
    }

    @Override
    public ReconcileReport reconcile() {
        AccessScope scope = AccessScope.system("reconciler");
        Instant now = clock.instant();
        List<LiveRunner> live = runners.listLive();
        Set<SessionId> ids = live.stream().map(LiveRunner::session).filter(Objects::nonNull)
                .collect(Collectors.toSet());
        Map<SessionId, SessionStatus> statuses = ids.isEmpty() ? Map.of() : sessions.statuses(scope, ids);
        List<RunnerId> destroyed = new ArrayList<>();
        List<RunnerId> kept = new ArrayList<>();
        for (LiveRunner runner : live) {
            boolean young = runner.createdAt().plus(policies.reconcileGrace()).isAfter(now);
            SessionStatus status = runner.session() == null ? null : statuses.get(runner.session());
            boolean needed = status != null && !status.isTerminal();
            if (young || needed || status != null && uploadingCallAudio(scope, runner.session(), now)) {
                kept.add(runner.runnerId());
                continue;
            }
            try {
                runners.destroy(runner.tenant(), runner.runnerId());
                destroyed.add(runner.runnerId());
                audit.record(scope, runner.tenant(), "runner.reconciled", "runner:" + runner.runnerId(),
                        Map.of("session", String.valueOf(runner.session()),
                                "status", status == null ? "unknown" : status.name()));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "reconciler could not destroy runner {0}: {1}", runner.runnerId(),
                        DomainException.describe(e));
                kept.add(runner.runnerId());
            }
        }
        return new ReconcileReport(destroyed, kept);
    }

    /**
     * A proxy runner uploads its call's audio after its session ended, then exits by itself (ADR 0021): it is left
     * alone while its upload is pending, for at most the recording margin after the end (its token's own slack).
     */
    private boolean uploadingCallAudio(AccessScope scope, SessionId session, Instant now) {
        try {
            InterviewSession s = store.load(scope, session);
            return s.callAudio().filter(ai.interviewinsights.domain.model.recording.CallAudioRef::pending).isPresent()
                    && s.endedAt().map(ended -> ended.plus(policies.recordingMargin()).isAfter(now)).orElse(true);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public LeaseReport renewLeases() {
        List<LiveRunner> running = runners.runningHere();
        if (running.isEmpty()) {
            return new LeaseReport(List.of(), List.of());
        }
        Instant now = clock.instant();
        List<LiveRunner> lost = leases.renew(instance, running, now, now.plus(policies.runnerLease()));
        List<RunnerId> renewed = new ArrayList<>();
        List<RunnerId> stopped = new ArrayList<>();
        Set<RunnerId> lostIds = lost.stream().map(LiveRunner::runnerId).collect(Collectors.toSet());
        for (LiveRunner runner : running) {
            if (!lostIds.contains(runner.runnerId())) {
                renewed.add(runner.runnerId());
                continue;
            }
            // A runner is granted its lease right after it starts: one younger than a lease is not judged yet.
            if (runner.createdAt().plus(policies.runnerLease()).isAfter(now)) {
                continue;
            }
            try {
                runners.destroy(runner.tenant(), runner.runnerId());
                stopped.add(runner.runnerId());
                audit.record(AccessScope.system("runner-leases"), runner.tenant(), "runner.lease_lost",
                        "runner:" + runner.runnerId(), Map.of("session", String.valueOf(runner.session())));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "runner {0} without a lease not stopped yet: {1}", runner.runnerId(),
                        DomainException.describe(e));
            }
        }
        return new LeaseReport(renewed, stopped);
    }

    @Override
    public int releaseLeases() {
        return leases.releaseAll(instance);
    }

    private static java.time.Duration min(java.time.Duration a, java.time.Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
