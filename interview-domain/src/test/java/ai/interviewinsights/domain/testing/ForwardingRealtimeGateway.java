package ai.interviewinsights.domain.testing;

import ai.interviewinsights.domain.model.realtime.ClientSecret;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import java.time.Duration;
import java.util.Objects;

/**
 * An OpenAI that passes every call to another (usually {@link FakeRealtimeGateway}): runner tests extend it and
 * override only what they log, hold or slow down, as {@link ForwardingControlPlane} does for the control plane.
 */
public class ForwardingRealtimeGateway implements RealtimeGateway {

    protected final RealtimeGateway real;

    public ForwardingRealtimeGateway(RealtimeGateway real) {
        this.real = Objects.requireNonNull(real, "real");
    }

    @Override
    public ClientSecret mintClientSecret(RealtimeSessionConfig config, Duration ttl) {
        return real.mintClientSecret(config, ttl);
    }

    @Override
    public void warmUp() {
        real.warmUp();
    }

    @Override
    public RelayedCall relay(SdpOffer offer, RealtimeSessionConfig config) {
        return real.relay(offer, config);
    }

    @Override
    public void hangUp(RealtimeCallId call) {
        real.hangUp(call);
    }

    /** The three-argument form comes here too (the port's default), so an override of this one sees every sideband. */
    @Override
    public Sideband openSideband(RealtimeCallId call, SidebandListener listener) {
        return real.openSideband(call, listener);
    }
}
