package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.realtime.RelayedCall;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The hybrid architecture's SDP relay, run by the session's runner: the browser's offer goes to OpenAI with the
 * server's key, OpenAI's answer comes back, and the runner starts capturing the call's transcript server-side.
 */
public interface NegotiateSdpUseCase {

    /**
     * @throws ai.interviewinsights.domain.model.sdp.SdpRejectedException {@code sdp.<rule>} naming the line
     * @throws ai.interviewinsights.domain.model.DomainException {@code session.not_live} (GONE) when the interview
     *         is over; UNAVAILABLE / UPSTREAM_FAILED when OpenAI cannot take the call
     */
    RelayedCall negotiate(NegotiateSdp command);

    /**
     * The same, telling {@code answered} as soon as OpenAI's answer is known: the caller sends it to the browser
     * there, and what the relay does afterwards (hang up the call this one replaces, open this call's sideband,
     * record the call) no longer holds up the answer. {@code answered} is called at most once, and not at all when
     * the offer fails; what it throws is passed on once the work after the answer is done (the call is not undone).
     */
    default RelayedCall negotiate(NegotiateSdp command, Consumer<RelayedCall> answered) {
        RelayedCall call = negotiate(command);
        answered.accept(call);
        return call;
    }

    /** @param offer the SDP offer text exactly as the browser produced it */
    record NegotiateSdp(String offer) {
        public NegotiateSdp {
            Objects.requireNonNull(offer, "offer");
        }
    }
}
