package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import java.util.Objects;

/** A runner reports that OpenAI accepted the relayed offer: the interview is ACTIVE on this call. */
public interface RecordCallConnectedUseCase {

    /**
     * @throws ai.interviewinsights.domain.model.session.IllegalTransitionException when the session cannot be active
     */
    void connected(CallConnected command);

    record CallConnected(Principal principal, SessionId session, RealtimeCallId call) {
        public CallConnected {
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(call, "call");
        }
    }
}
