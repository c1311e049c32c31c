package ai.interviewinsights.domain.testing;

import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.runner.LeaseHolder;
import ai.interviewinsights.domain.model.sdp.SdpLimits;
import ai.interviewinsights.domain.model.position.Tenant;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.runner.InProcessControlPlane;
import ai.interviewinsights.domain.service.InterviewPolicies;
import ai.interviewinsights.domain.service.InterviewPorts;
import ai.interviewinsights.domain.runner.InterviewRunner;
import ai.interviewinsights.domain.service.InterviewServices;
import java.util.Optional;

/**
 * The whole control plane over in-memory fakes, for scenario tests and for embedders trying the domain out: one
 * database, fake OpenAI, fake runners, fake recording, deterministic ids and a hand-moved clock.
 */
public final class InMemoryInterviewPlatform {

    public final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    public final SequentialIds ids = new SequentialIds();
    public final InMemoryRepositories repositories = InMemoryRepositories.create();
    public final FakeRealtimeGateway openai = new FakeRealtimeGateway(clock);
    public final FakeRunnerProvisioner runners = new FakeRunnerProvisioner(clock);
    public final FakeRecordingGateway recording = new FakeRecordingGateway(clock);
    public final FakeEvaluationGenerator evaluator = new FakeEvaluationGenerator();
    public final FakeSessionTokens tokens = new FakeSessionTokens(clock);
    public final InMemoryConsents consents = new InMemoryConsents();
    /** Where this platform's services queue evaluations after a runner's end: evaluated inline, and remembered. */
    public final FakeEvaluationQueue evaluations = FakeEvaluationQueue.evaluatingInline();
    /** The leases every instance of this platform shares (one database). */
    public final InMemoryRunnerLeases leases;
    public final InterviewServices services;

    public InMemoryInterviewPlatform() {
        this(InterviewPolicies.defaults(), true);
    }

    private final boolean withRecording;

    public InMemoryInterviewPlatform(InterviewPolicies policies, boolean withRecording) {
        this(policies, withRecording, new InMemoryRunnerLeases(), new LeaseHolder("instance-a"));
    }

    private InMemoryInterviewPlatform(InterviewPolicies policies, boolean withRecording, InMemoryRunnerLeases leases,
                                      LeaseHolder instance) {
        this.withRecording = withRecording;
        this.leases = leases;
        InterviewPorts ports = new InterviewPorts(repositories.tenants(), repositories.positions(),
                repositories.candidates(), repositories.sessions(), repositories.transcripts(),
                repositories.invites(), repositories.evaluations(), repositories.audit(), consents, openai, runners,
                withRecording ? Optional.of(recording) : Optional.empty(), evaluator, tokens, ids, clock,
                repositories.erasure(), leases, instance);
        this.services = InterviewServices.create(ports, policies, evaluations.over());
    }

    /**
     * A second control-plane instance of the same platform: the same database, leases, tokens, OpenAI and clock,
     * but its own runners (as local processes on another machine) and its own lease holder.
     */
    public InterviewServices secondInstance(ai.interviewinsights.domain.port.out.RunnerProvisioner itsRunners,
                                            InterviewPolicies policies) {
        return anotherInstance(itsRunners, policies, new LeaseHolder("instance-b"));
    }

    /** Another control-plane instance of the same platform, holding leases as {@code holder}. */
    public InterviewServices anotherInstance(ai.interviewinsights.domain.port.out.RunnerProvisioner itsRunners,
                                             InterviewPolicies policies, LeaseHolder holder) {
        InterviewPorts ports = new InterviewPorts(repositories.tenants(), repositories.positions(),
                repositories.candidates(), repositories.sessions(), repositories.transcripts(),
                repositories.invites(), repositories.evaluations(), repositories.audit(), consents, openai,
                itsRunners, withRecording ? Optional.of(recording) : Optional.empty(), evaluator, tokens, ids, clock,
                repositories.erasure(), leases, holder);
        return InterviewServices.create(ports, policies);
    }

    /** Registers a tenant the way the local default does on first start. */
    public Tenant registerTenant(TenantId id) {
        return services.registerTenant().register(id, Fixtures.tenant(id).name());
    }

    /**
     * Tenant {@link Fixtures#ACME} registered, a position and a candidate created by its admin, and an interview
     * started for them: the session a runner test needs.
     */
    public ai.interviewinsights.domain.model.session.InterviewSession startedSession() {
        registerTenant(Fixtures.ACME);
        Principal admin = Fixtures.admin(Fixtures.ACME);
        var position = services.positions().create(admin, "SRE", "Ops",
                java.util.List.of(new ai.interviewinsights.domain.model.position.Competency("Operations",
                        "Runs things", 1)));
        var candidate = services.candidates().create(admin, "Ada", "ada@example.com");
        return services.startInterview().start(new ai.interviewinsights.domain.port.in.StartInterviewUseCase
                .StartInterview(admin, candidate.id(), position.id(), null)).session();
    }

    /** A runner for a session, wired to the control plane in-process, as the runner process would be. */
    public InterviewRunner runnerFor(TenantId tenant, SessionId session, InterviewRunner.Observer observer) {
        Principal runner = Fixtures.runnerPrincipal(tenant, session);
        return new InterviewRunner(session, new InProcessControlPlane(runner, services), openai, clock,
                SdpLimits.defaults(), observer, InterviewRunner.DrainPolicy.NONE);
    }

    /** A system scope for assertions that must see everything. */
    public static AccessScope inspector() {
        return AccessScope.system("test-inspector");
    }

    /** What a candidate's browser sends after agreeing to the default notice (with recording when it is on). */
    public ai.interviewinsights.domain.model.consent.GivenConsent consent() {
        return new ai.interviewinsights.domain.model.consent.GivenConsent(
                ai.interviewinsights.domain.model.consent.ConsentNotice.defaults().shown(withRecording).version(),
                true, true);
    }
}
