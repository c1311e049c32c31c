package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.realtime.RelayedCall;
import java.util.Objects;

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

    /** @param offer the SDP offer text exactly as the browser produced it */
    record NegotiateSdp(String offer) {
        public NegotiateSdp {
            Objects.requireNonNull(offer, "offer");
        }
    }
}
