package ai.interviewinsights.app.runner;

import ai.interviewinsights.domain.model.realtime.ClientSecret;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A realtime gateway built on first use: a runner reports ready without first building its way to OpenAI (the HTTP
 * client, the platform's trust store, the adapter's classes: about a tenth of a runner's start, issue 16 goal 2).
 * The relay warm-up that runs right after READY builds it; an offer that comes first builds it itself, and a second
 * caller waits for the first one's build. Built at most once; a build that fails is tried again on the next use.
 */
public final class LazyRealtimeGateway implements RealtimeGateway {

    private final Supplier<RealtimeGateway> build;
    private volatile RealtimeGateway built;

    public LazyRealtimeGateway(Supplier<RealtimeGateway> build) {
        this.build = Objects.requireNonNull(build, "build");
    }

    /** The gateway, built now if it was not yet. */
    RealtimeGateway get() {
        RealtimeGateway gateway = built;
        if (gateway == null) {
            synchronized (this) {
                gateway = built;
                if (gateway == null) {
                    gateway = Objects.requireNonNull(build.get(), "the gateway built");
                    built = gateway;
                }
            }
        }
        return gateway;
    }

    /** Whether it has been built (tests). */
    boolean isBuilt() {
        return built != null;
    }

    @Override
    public ClientSecret mintClientSecret(RealtimeSessionConfig config, Duration ttl) {
        return get().mintClientSecret(config, ttl);
    }

    @Override
    public void warmUp() {
        get().warmUp();
    }

    @Override
    public RelayedCall relay(SdpOffer offer, RealtimeSessionConfig config) {
        return get().relay(offer, config);
    }

    @Override
    public void hangUp(RealtimeCallId call) {
        get().hangUp(call);
    }

    @Override
    public Sideband openSideband(RealtimeCallId call, SidebandListener listener) {
        return get().openSideband(call, listener);
    }

    @Override
    public Sideband openSideband(RealtimeCallId call, RealtimeSessionConfig config, SidebandListener listener) {
        return get().openSideband(call, config, listener);
    }

    @Override
    public String toString() {
        return "LazyRealtimeGateway[" + (built == null ? "not built" : built) + "]";
    }
}
