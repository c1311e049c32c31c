package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.port.in.BrowseInvitesUseCase;
import ai.interviewinsights.domain.port.in.BrowseSessionsUseCase;
import ai.interviewinsights.domain.port.in.CancelInterviewUseCase;
import ai.interviewinsights.domain.port.in.EndInterviewUseCase;
import ai.interviewinsights.domain.port.in.EvaluateInterviewUseCase;
import ai.interviewinsights.domain.port.in.ExpireStaleSessionsUseCase;
import ai.interviewinsights.domain.port.in.FailInterviewUseCase;
import ai.interviewinsights.domain.port.in.GetInterviewReportUseCase;
import ai.interviewinsights.domain.port.in.GetRunnerAssignmentUseCase;
import ai.interviewinsights.domain.port.in.InviteCandidateUseCase;
import ai.interviewinsights.domain.port.in.IssueRealtimeSecretUseCase;
import ai.interviewinsights.domain.port.in.ManageCandidatesUseCase;
import ai.interviewinsights.domain.port.in.ManagePositionsUseCase;
import ai.interviewinsights.domain.port.in.ReconcileRunnersUseCase;
import ai.interviewinsights.domain.port.in.RecordCallConnectedUseCase;
import ai.interviewinsights.domain.port.in.RecordRecordingReadyUseCase;
import ai.interviewinsights.domain.port.in.RecordTranscriptUseCase;
import ai.interviewinsights.domain.port.in.RedeemInviteUseCase;
import ai.interviewinsights.domain.port.in.RegisterTenantUseCase;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase;

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
    private final SessionLifecycleService lifecycle;
    private final TranscriptService transcripts;
    private final EvaluationService evaluation;
    private final MaintenanceService maintenance;
    private final ReportService reports;

    private InterviewServices(InterviewPorts ports, InterviewPolicies policies) {
        SessionStore store = new SessionStore(ports.sessions());
        Audit audit = new Audit(ports.audit(), ports.ids(), ports.clock());
        Teardown teardown = new Teardown(ports.realtime(), ports.runners(), ports.recording());
        InterviewStarter starter = new InterviewStarter(ports, policies, store, audit);
        this.catalog = new CatalogService(ports, audit);
        this.start = new StartInterviewService(starter, policies);
        this.invites = new InviteService(ports, policies, starter, store, audit);
        this.lifecycle = new SessionLifecycleService(ports, policies, starter, store, audit, teardown);
        this.transcripts = new TranscriptService(ports, store, audit);
        this.evaluation = new EvaluationService(ports, store, audit, teardown);
        this.maintenance = new MaintenanceService(ports, policies, store, audit, teardown, evaluation);
        this.reports = new ReportService(ports, starter, store, audit);
    }

    public static InterviewServices create(InterviewPorts ports, InterviewPolicies policies) {
        return new InterviewServices(ports, policies);
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

    public InviteCandidateUseCase inviteCandidate() {
        return invites;
    }

    public RedeemInviteUseCase redeemInvite() {
        return invites;
    }

    public BrowseInvitesUseCase invites() {
        return invites;
    }

    public BrowseSessionsUseCase sessions() {
        return lifecycle;
    }

    public IssueRealtimeSecretUseCase issueRealtimeSecret() {
        return lifecycle;
    }

    public GetRunnerAssignmentUseCase runnerAssignment() {
        return lifecycle;
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

    public RecordRecordingReadyUseCase recordingReady() {
        return reports;
    }
}
