package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.interview.InterviewContext;
import ai.interviewinsights.domain.model.interview.InterviewSettings;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionOrigin;
import ai.interviewinsights.domain.port.in.RejoinInterviewUseCase;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase;
import ai.interviewinsights.domain.port.in.StartedInterview;

/**
 * The admin flow: a staff member starts an interview for one of the tenant's candidates, and comes back to it the
 * way a candidate comes back through the invite (same session, a fresh runner if its runner is gone).
 */
final class StartInterviewService implements StartInterviewUseCase, RejoinInterviewUseCase {

    private final InterviewStarter starter;
    private final InterviewPolicies policies;
    private final SessionStore store;

    StartInterviewService(InterviewStarter starter, InterviewPolicies policies, SessionStore store) {
        this.starter = starter;
        this.policies = policies;
        this.store = store;
    }

    @Override
    public StartedInterview start(StartInterview command) {
        Access.requireStaff(command.principal());
        AccessScope scope = AccessScope.of(command.principal());
        InterviewSettings settings = policies.settings().resolve(command.settings());
        InterviewContext context = starter.context(scope, command.principal().tenant(), command.position(),
                command.candidate(), settings);
        return starter.start(scope, context, SessionOrigin.STAFF, command.principal().user(),
                command.recordingGrant());
    }

    @Override
    public StartedInterview rejoin(RejoinInterview command) {
        Access.requireStaff(command.principal());
        AccessScope scope = AccessScope.of(command.principal());
        InterviewSession session = store.load(scope, command.session()); // another tenant's: not found
        if (session.origin() != SessionOrigin.STAFF) {
            // The candidate holds that interview: a second browser would take its call over.
            throw DomainException.conflict("session.invite_flow",
                    "this interview was started from an invite; the candidate rejoins it through the invite link");
        }
        if (!session.status().isLive()) {
            throw DomainException.gone("session.not_live", "the interview is " + session.status());
        }
        return starter.withLiveRunner(scope, session, starter.context(scope, session));
    }
}
