package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;

/** Staff call an interview off before it ends: CANCELLED, call hung up, runner and recording removed. */
public interface CancelInterviewUseCase {

    void cancel(Principal principal, SessionId session);
}
