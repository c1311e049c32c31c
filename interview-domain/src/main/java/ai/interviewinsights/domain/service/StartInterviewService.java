package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.interview.InterviewContext;
import ai.interviewinsights.domain.model.interview.InterviewSettings;
import ai.interviewinsights.domain.model.session.SessionOrigin;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase;
import ai.interviewinsights.domain.port.in.StartedInterview;

/** The admin flow's start: a staff member starts an interview for one of the tenant's candidates. */
final class StartInterviewService implements StartInterviewUseCase {

    private final InterviewStarter starter;
    private final InterviewPolicies policies;

    StartInterviewService(InterviewStarter starter, InterviewPolicies policies) {
        this.starter = starter;
        this.policies = policies;
    }

    @Override
    public StartedInterview start(StartInterview command) {
        Access.requireStaff(command.principal());
        AccessScope scope = AccessScope.of(command.principal());
        InterviewSettings settings = policies.settings().resolve(command.settings());
        InterviewContext context = starter.context(scope, command.principal().tenant(), command.position(),
                command.candidate(), settings);
        return starter.start(scope, context, SessionOrigin.STAFF, command.principal().user());
    }
}
