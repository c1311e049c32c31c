package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.session.RunnerAssignment;

/** A runner asks what its session is and how to configure OpenAI for it. */
public interface GetRunnerAssignmentUseCase {

    /** @throws ai.interviewinsights.domain.model.DomainException {@code access.runner_only} (FORBIDDEN) */
    RunnerAssignment assignment(Principal runner, SessionId session);
}
