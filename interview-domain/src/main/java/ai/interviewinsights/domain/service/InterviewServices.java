package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.port.in.ApplyRetentionUseCase;
import ai.interviewinsights.domain.port.in.BrowseInvitesUseCase;
import ai.interviewinsights.domain.port.in.BrowseSessionsUseCase;
import ai.interviewinsights.domain.port.in.CancelInterviewUseCase;
import ai.interviewinsights.domain.port.in.EndInterviewUseCase;
import ai.interviewinsights.domain.port.in.EraseCandidateUseCase;
import ai.interviewinsights.domain.port.in.EvaluateInterviewUseCase;
import ai.interviewinsights.domain.port.in.ExpireStaleSessionsUseCase;
import ai.interviewinsights.domain.port.in.FailInterviewUseCase;
import ai.interviewinsights.domain.port.in.GetInterviewReportUseCase;
import ai.interviewinsights.domain.port.in.GetRunnerAssignmentUseCase;
import ai.interviewinsights.domain.port.in.InviteCandidateUseCase;
import ai.interviewinsights.domain.port.in.IssueRealtimeSecretUseCase;
import ai.interviewinsights.domain.port.in.ManageCandidatesUseCase;
import ai.interviewinsights.domain.port.in.ManagePositionsUseCase;
import ai.interviewinsights.domain.port.in.OffboardTenantUseCase;
import ai.interviewinsights.domain.port.in.ReconcileRunnersUseCase;
import ai.interviewinsights.domain.port.in.RecordCallConnectedUseCase;
import ai.interviewinsights.domain.port.in.RecordConsentUseCase;
import ai.interviewinsights.domain.port.in.RecordRecordingReadyUseCase;
import ai.interviewinsights.domain.port.in.RecordTranscriptUseCase;
import ai.interviewinsights.domain.port.in.RedeemInviteUseCase;
import ai.interviewinsights.domain.port.in.RegisterTenantUseCase;
import ai.interviewinsights.domain.port.in.RevokeInviteUseCase;
import ai.interviewinsights.domain.port.in.ReviewEvaluationUseCase;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase;
import ai.interviewinsights.domain.port.out.EvaluationQueue;
import java.util.Objects;
import java.util.function.Function;

/**
 * The control plane's use cases, wired over a set of driven ports: the one public way into the services. An
 * embedder builds its ports (the bundled adapters, or its own), calls {@link #create}, and hands the use cases to
 * its own edge (HTTP, a queue, a CLI).
 *
 * <pre>{@code
 * InterviewServices services = InterviewServices.create(ports, InterviewPolicies.defaults());
 * StartedInterview started = services.startInterview().start(new StartInterview(admin, candidate, position, null));
 * }</pre>
 */
public final class InterviewServices {

    private final CatalogService catalog;
    private final StartInterviewService start;
    private final InviteService invites;
    private final ConsentService consents;
    private final SessionLifecycleService lifecycle;
    private final BrowseSessionsService browse;
    private final RealtimeSecretService realtimeSecrets;
    private final RunnerAssignmentService assignments;
    private final TranscriptService transcripts;
    private final ClientEventAudit clientEvents;
    private final CallAudioService callAudio;
    private final RecordingGrantService recordingGrants;
    private final UpstreamIncidentAudit upstreamIncidents;
    private final EvaluationService evaluation;
    private final MaintenanceService maintenance;
    private final ReportService reports;
    private final ErasureService erasure;
    private final ReviewService review;

    /** Each service gets exactly the driven ports it uses, so its constructor says what it depends on. */
    private InterviewServices(InterviewPorts ports, InterviewPolicies policies,
                              Function<EvaluateInterviewUseCase, EvaluationQueue> evaluationQueue) {
        SessionStore store = new SessionStore(ports.sessions());
        Audit audit = new Audit(ports.audit(), ports.ids(), ports.clock());
        Teardown teardown = new Teardown(ports.realtime(), ports.runners(), ports.recording(), ports.leases());
        InterviewStarter starter = new InterviewStarter(ports.tenants(), ports.positions(), ports.candidates(),
                ports.runners(), ports.recording(), ports.tokens(), ports.ids(), ports.clock(), policies, store, audit,
                ports.leases(), ports.instance(), ports.alongside());
        this.catalog = new CatalogService(ports.tenants(), ports.positions(), ports.candidates(), ports.ids(), audit);
        this.start = new StartInterviewService(starter, policies, store);
        this.consents = new ConsentService(ports.consents(), ports.recording(), ports.ids(), ports.clock(), starter,
                store, audit);
        this.invites = new InviteService(ports.invites(), ports.ids(), ports.clock(), policies, starter, store, audit,
                consents);
        this.browse = new BrowseSessionsService(ports.sessions(), store);
        this.realtimeSecrets = new RealtimeSecretService(ports.realtime(), policies, starter, store, audit);
        this.assignments = new RunnerAssignmentService(ports.transcripts(), starter, store,
                ports.recording());
        this.transcripts = new TranscriptService(ports.transcripts(), store, audit);
        this.clientEvents = new ClientEventAudit(audit);
        this.callAudio = new CallAudioService(ports.recording(), ports.consents(), ports.clock(), policies, starter,
                store, audit);
        this.recordingGrants = new RecordingGrantService(ports.recording(), ports.consents(), ports.clock(), policies,
                starter, store, audit);
        this.upstreamIncidents = new UpstreamIncidentAudit(audit);
        this.evaluation = new EvaluationService(ports.positions(), ports.transcripts(), ports.evaluations(),
                ports.evaluator(), ports.ids(), ports.clock(), store, audit, teardown);
        this.lifecycle = new SessionLifecycleService(ports.clock(), store, audit, teardown,
                Objects.requireNonNull(evaluationQueue.apply(evaluation), "evaluation queue"));
        this.maintenance = new MaintenanceService(ports.sessions(), ports.runners(), ports.clock(), policies, store,
                audit, teardown, evaluation, ports.leases(), ports.instance());
        this.reports = new ReportService(ports.sessions(), ports.transcripts(), ports.evaluations(),
                ports.recording(), ports.clock(), starter, store, audit);
        this.erasure = new ErasureService(ports.candidates(), ports.recording(), ports.clock(), ports.erasure(), audit,
                teardown);
        this.review = new ReviewService(ports.positions(), ports.transcripts(), ports.evaluations(), ports.audit(),
                store, audit, evaluation);
    }

    /**
     * The use cases, evaluating an interview inline, on the thread of the runner's end report (embedders, tests: the
     * report returns once the evaluation is stored).
     */
    public static InterviewServices create(InterviewPorts ports, InterviewPolicies policies) {
        return create(ports, policies, evaluate -> evaluate::evaluate);
    }

    /**
     * The use cases, queueing the evaluation after a runner's end where {@code evaluationQueue} says: it is given the
     * evaluation use case the queue runs, and returns the queue (the control plane's runs it on worker threads).
     */
    public static InterviewServices create(InterviewPorts ports, InterviewPolicies policies,
                                           Function<EvaluateInterviewUseCase, EvaluationQueue> evaluationQueue) {
        return new InterviewServices(Objects.requireNonNull(ports, "ports"), Objects.requireNonNull(policies,
                "policies"), Objects.requireNonNull(evaluationQueue, "evaluationQueue"));
    }

    public RegisterTenantUseCase registerTenant() {
        return catalog;
    }

    public ManagePositionsUseCase positions() {
        return catalog;
    }

    public ManageCandidatesUseCase candidates() {
        return catalog;
    }

    public StartInterviewUseCase startInterview() {
        return start;
    }

    public ai.interviewinsights.domain.port.in.RejoinInterviewUseCase rejoinInterview() {
        return start;
    }

    public ai.interviewinsights.domain.port.in.RenewRunnerLeasesUseCase renewRunnerLeases() {
        return maintenance;
    }

    public InviteCandidateUseCase inviteCandidate() {
        return invites;
    }

    public RedeemInviteUseCase redeemInvite() {
        return invites;
    }

    public RecordConsentUseCase consents() {
        return consents;
    }

    public BrowseInvitesUseCase invites() {
        return invites;
    }

    public RevokeInviteUseCase revokeInvite() {
        return invites;
    }

    public BrowseSessionsUseCase sessions() {
        return browse;
    }

    public IssueRealtimeSecretUseCase issueRealtimeSecret() {
        return realtimeSecrets;
    }

    public GetRunnerAssignmentUseCase runnerAssignment() {
        return assignments;
    }

    public RecordCallConnectedUseCase callConnected() {
        return lifecycle;
    }

    public RecordTranscriptUseCase recordTranscript() {
        return transcripts;
    }

    public ai.interviewinsights.domain.port.in.ReportDroppedEntryUseCase reportDroppedEntry() {
        return transcripts;
    }

    public ai.interviewinsights.domain.port.in.ReportRefusedClientEventUseCase reportRefusedClientEvent() {
        return clientEvents;
    }

    /** The room's recording grant, asked for after READY (ADR 0028). */
    public ai.interviewinsights.domain.port.in.GrantRecordingUseCase grantRecording() {
        return recordingGrants;
    }

    /** A proxy runner stores its call's own audio (ADR 0021). */
    public ai.interviewinsights.domain.port.in.StoreCallAudioUseCase storeCallAudio() {
        return callAudio;
    }

    /** A proxy runner's socket to OpenAI dropped and came back, or was lost (ADR 0023). */
    public ai.interviewinsights.domain.port.in.ReportUpstreamIncidentUseCase reportUpstreamIncident() {
        return upstreamIncidents;
    }

    public EndInterviewUseCase endInterview() {
        return lifecycle;
    }

    public FailInterviewUseCase failInterview() {
        return lifecycle;
    }

    public CancelInterviewUseCase cancelInterview() {
        return lifecycle;
    }

    public EvaluateInterviewUseCase evaluateInterview() {
        return evaluation;
    }

    public ExpireStaleSessionsUseCase expireStaleSessions() {
        return maintenance;
    }

    public ReconcileRunnersUseCase reconcileRunners() {
        return maintenance;
    }

    public GetInterviewReportUseCase interviewReport() {
        return reports;
    }

    public ReviewEvaluationUseCase reviewEvaluation() {
        return review;
    }

    public RecordRecordingReadyUseCase recordingReady() {
        return reports;
    }

    public EraseCandidateUseCase eraseCandidate() {
        return erasure;
    }

    public ApplyRetentionUseCase retention() {
        return erasure;
    }

    public OffboardTenantUseCase offboardTenant() {
        return erasure;
    }
}
