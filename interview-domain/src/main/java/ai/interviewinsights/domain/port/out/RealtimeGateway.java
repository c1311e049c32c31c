package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.realtime.ClientSecret;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import java.time.Duration;

/**
 * OpenAI's Realtime API as the interview needs it. Every method uses the server's API key, which never leaves the
 * adapter. Failures are {@link ai.interviewinsights.domain.model.DomainException}s: {@code UNAVAILABLE} (retryable:
 * rate limits, overload, timeouts) or {@code UPSTREAM_FAILED} (OpenAI refused; the code and message say why).
 */
public interface RealtimeGateway {

    /**
     * Mints a short-lived, single-use secret with which a browser may open one call itself, configured for the
     * interview.
     */
    ClientSecret mintClientSecret(RealtimeSessionConfig config, Duration ttl);

    /**
     * Prepares the relay before the first offer, best effort and quickly: a runner calls it while it starts,
     * so the candidate's first offer does not pay for loading the HTTP and TLS stack or opening the connection to
     * the endpoint, nor for running the relay's code for the first time (an adapter may rehearse it, but never
     * toward the real endpoint with its credential). Never throws; the default does nothing.
     */
    default void warmUp() {
    }

    /**
     * Relays a validated offer to OpenAI with the session configuration and returns OpenAI's answer, already
     * checked against the offer, and the call id.
     */
    RelayedCall relay(SdpOffer offer, RealtimeSessionConfig config);

    /** Ends the call. A call that is already over counts as hung up. */
    void hangUp(RealtimeCallId call);

    /**
     * Opens the server's own event connection to a live call. Events reach the listener in the order the server
     * sent them, on the adapter's thread; if the connection drops while the call is live the adapter reconnects, and
     * when the call is over the listener receives a final {@link RealtimeEvent.CallEnded}.
     */
    Sideband openSideband(RealtimeCallId call, SidebandListener listener);

    /**
     * Like {@link #openSideband(RealtimeCallId, SidebandListener)}, for the call set up with {@code config}: an
     * adapter that names the end user to its vendor (OpenAI's {@code OpenAI-Safety-Identifier}, which each connection
     * must carry itself) takes it from there. Adapters without such a notion need not override this.
     */
    default Sideband openSideband(RealtimeCallId call, RealtimeSessionConfig config, SidebandListener listener) {
        return openSideband(call, listener);
    }

    /** A server-side connection to one call. */
    interface Sideband extends AutoCloseable {

        /** Stops listening; does not end the call. */
        @Override
        void close();

        /**
         * Waits, for at most {@code max}, until the connection has been opened once and every event received so
         * far has been handed to the listener. Returns whether that happened in time. Must not be called from the
         * listener itself (the events are delivered on the thread this waits for).
         */
        default boolean awaitDelivered(Duration max) {
            return true;
        }
    }

    /** Receives a call's events. */
    @FunctionalInterface
    interface SidebandListener {
        void onEvent(RealtimeEvent event);
    }
}
