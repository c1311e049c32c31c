package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.runner.LeaseHolder;
import ai.interviewinsights.domain.port.out.AuditLog;
import ai.interviewinsights.domain.port.out.CandidateRepository;
import ai.interviewinsights.domain.port.out.ConsentRepository;
import ai.interviewinsights.domain.port.out.EvaluationGenerator;
import ai.interviewinsights.domain.port.out.EvaluationRepository;
import ai.interviewinsights.domain.port.out.IdGenerator;
import ai.interviewinsights.domain.port.out.InviteRepository;
import ai.interviewinsights.domain.port.out.PersonalDataEraser;
import ai.interviewinsights.domain.port.out.PositionRepository;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import ai.interviewinsights.domain.port.out.RunnerLeases;
import ai.interviewinsights.domain.port.out.RunnerProvisioner;
import ai.interviewinsights.domain.port.out.SessionRepository;
import ai.interviewinsights.domain.port.out.SessionTokenIssuer;
import ai.interviewinsights.domain.port.out.TenantRepository;
import ai.interviewinsights.domain.port.out.TranscriptRepository;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Every driven port the control plane's use cases need, in one place for {@link InterviewServices#create}.
 *
 * @param consents  candidates' consent records and the tenants' notice wording
 * @param recording empty when no recording provider is configured: interviews then run without video
 * @param erasure   the store's side of erasure, retention and offboarding
 * @param leases    the runner leases all instances share (ADR 0018)
 * @param instance  this control-plane instance, as the holder of the leases of the runners it runs
 * @param alongside where a start runs the work that need not wait for the runner (the recording's preparation: the
 *                  provider's round trips overlap the runner's start instead of following it); {@code Runnable::run},
 *                  one after the other on the caller's thread, unless {@link #withAlongside} gives an executor
 */
public record InterviewPorts(TenantRepository tenants, PositionRepository positions, CandidateRepository candidates,
                             SessionRepository sessions, TranscriptRepository transcripts,
                             InviteRepository invites, EvaluationRepository evaluations, AuditLog audit,
                             ConsentRepository consents,
                             RealtimeGateway realtime, RunnerProvisioner runners, Optional<RecordingGateway> recording,
                             EvaluationGenerator evaluator, SessionTokenIssuer tokens, IdGenerator ids, Clock clock,
                             PersonalDataEraser erasure, RunnerLeases leases, LeaseHolder instance,
                             Executor alongside) {

    /** The holder named by ports built without a lease store (nothing is recorded for it). */
    static final LeaseHolder UNRECORDED = new LeaseHolder("unrecorded");

    public InterviewPorts {
        Objects.requireNonNull(tenants, "tenants");
        Objects.requireNonNull(positions, "positions");
        Objects.requireNonNull(candidates, "candidates");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(transcripts, "transcripts");
        Objects.requireNonNull(invites, "invites");
        Objects.requireNonNull(evaluations, "evaluations");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(consents, "consents");
        Objects.requireNonNull(realtime, "realtime");
        Objects.requireNonNull(runners, "runners");
        Objects.requireNonNull(recording, "recording");
        Objects.requireNonNull(evaluator, "evaluator");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(erasure, "erasure");
        Objects.requireNonNull(leases, "leases");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(alongside, "alongside");
    }

    /** Ports whose starts do everything on the caller's thread, one step after the other. */
    public InterviewPorts(TenantRepository tenants, PositionRepository positions, CandidateRepository candidates,
                          SessionRepository sessions, TranscriptRepository transcripts, InviteRepository invites,
                          EvaluationRepository evaluations, AuditLog audit, ConsentRepository consents,
                          RealtimeGateway realtime, RunnerProvisioner runners, Optional<RecordingGateway> recording,
                          EvaluationGenerator evaluator, SessionTokenIssuer tokens, IdGenerator ids, Clock clock,
                          PersonalDataEraser erasure, RunnerLeases leases, LeaseHolder instance) {
        this(tenants, positions, candidates, sessions, transcripts, invites, evaluations, audit, consents, realtime,
                runners, recording, evaluator, tokens, ids, clock, erasure, leases, instance, Runnable::run);
    }

    /**
     * The same ports, with a start's recording preparation run on {@code executor} while the runner is provisioned
     * (the control plane gives it a few threads of its own; issue 16, goal 2).
     */
    public InterviewPorts withAlongside(Executor executor) {
        return new InterviewPorts(tenants, positions, candidates, sessions, transcripts, invites, evaluations, audit,
                consents, realtime, runners, recording, evaluator, tokens, ids, clock, erasure, leases, instance,
                executor);
    }

    /**
     * Ports without a lease store: runners are found through the provisioner alone (one control-plane instance,
     * embedders, tests).
     */
    public InterviewPorts(TenantRepository tenants, PositionRepository positions, CandidateRepository candidates,
                          SessionRepository sessions, TranscriptRepository transcripts, InviteRepository invites,
                          EvaluationRepository evaluations, AuditLog audit, ConsentRepository consents,
                          RealtimeGateway realtime, RunnerProvisioner runners, Optional<RecordingGateway> recording,
                          EvaluationGenerator evaluator, SessionTokenIssuer tokens, IdGenerator ids, Clock clock,
                          PersonalDataEraser erasure) {
        this(tenants, positions, candidates, sessions, transcripts, invites, evaluations, audit, consents, realtime,
                runners, recording, evaluator, tokens, ids, clock, erasure, UnrecordedLeases.INSTANCE, UNRECORDED);
    }

    /**
     * Ports without an eraser: erasure, retention and offboarding then answer {@code erasure.unavailable}
     * (for embedders and tests that do not erase).
     */
    public InterviewPorts(TenantRepository tenants, PositionRepository positions, CandidateRepository candidates,
                          SessionRepository sessions, TranscriptRepository transcripts, InviteRepository invites,
                          EvaluationRepository evaluations, AuditLog audit, ConsentRepository consents,
                          RealtimeGateway realtime, RunnerProvisioner runners, Optional<RecordingGateway> recording,
                          EvaluationGenerator evaluator, SessionTokenIssuer tokens, IdGenerator ids, Clock clock) {
        this(tenants, positions, candidates, sessions, transcripts, invites, evaluations, audit, consents, realtime,
                runners, recording, evaluator, tokens, ids, clock, ErasureUnavailable.INSTANCE);
    }
}
