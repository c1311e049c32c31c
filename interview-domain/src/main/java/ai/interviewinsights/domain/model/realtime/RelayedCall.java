package ai.interviewinsights.domain.model.realtime;

import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.sdp.SdpAnswer;

/** The outcome of relaying a browser's offer: OpenAI's answer (validated against the offer) and the call's id. */
public record RelayedCall(SdpAnswer answer, RealtimeCallId callId) {

    public RelayedCall {
        Require.present(answer, "answer");
        Require.present(callId, "call_id");
    }
}
