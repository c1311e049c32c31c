package ai.interviewinsights.adapters.openai.proxy;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.realtime.ClientSecret;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpAnswer;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.model.sdp.SdpRejectedException;
import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy architecture behind the same port as the hybrid relay: the runner hands it the browser's validated offer
 * exactly as it would hand it to OpenAI, and gets back an answer and a call id. The answer comes from the runner's own
 * webrtc-java peer, and the call is a {@link MediaBridge} to OpenAI's Realtime WebSocket. The "sideband" of a proxied
 * call is the bridge's own socket: the runner's transcript assembler is fed from it unchanged (source
 * {@link TranscriptSource#SIDEBAND}: the server's own connection), with the same exactly-once, time-budget and
 * hang-up behaviour as a relayed call. Client secrets do not exist here: the browser never talks to OpenAI.
 *
 * <pre>{@code
 * RealtimeGateway proxy = OpenAiAdapters.create(config, clock).proxy(ProxyOptions.defaults(audit::record));
 * }</pre>
 */
public final class ProxyRealtimeGateway implements RealtimeGateway, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyRealtimeGateway.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Upstream upstream;
    private final ProxyOptions options;
    private final ScheduledExecutorService ticker;
    private final BridgeStats stats = new BridgeStats();
    private volatile MediaBridge.Tap tap = MediaBridge.Tap.NONE;
    private final Map<RealtimeCallId, MediaBridge> calls = new ConcurrentHashMap<>();

    private ProxyRealtimeGateway(Upstream upstream, ProxyOptions options) {
        this.upstream = upstream;
        this.options = options;
        ScheduledThreadPoolExecutor pool = (ScheduledThreadPoolExecutor) Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "proxy-playout");
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        this.ticker = pool;
    }

    /** Built by {@code OpenAiAdapters.proxy(...)}, which supplies the {@link Upstream}. */
    public static ProxyRealtimeGateway create(Upstream upstream, ProxyOptions options) {
        return new ProxyRealtimeGateway(Objects.requireNonNull(upstream, "upstream"),
                Objects.requireNonNull(options, "options"));
    }

    @Override
    public ClientSecret mintClientSecret(RealtimeSessionConfig config, Duration ttl) {
        throw DomainException.forbidden("proxy.no_client_secrets", "in the proxy architecture the browser never"
                + " connects to OpenAI, so there is no client secret to mint");
    }

    @Override
    public RelayedCall relay(SdpOffer offer, RealtimeSessionConfig config) {
        RealtimeCallId id = new RealtimeCallId("proxy_" + HexFormat.of().formatHex(randomBytes()));
        MediaBridge bridge = new MediaBridge(id, config, upstream, options, ticker, stats);
        bridge.tap(tap);
        String answer = bridge.start(offer.text());
        try {
            RelayedCall relayed = new RelayedCall(SdpAnswer.validate(answer, offer), id);
            calls.put(id, bridge);
            return relayed;
        } catch (SdpRejectedException e) {
            LOG.warn("the bridge's own answer for call {} fails validation ({}); closing it", id, e.code());
            bridge.close();
            throw e;
        }
    }

    @Override
    public void hangUp(RealtimeCallId call) {
        MediaBridge bridge = calls.remove(call);
        if (bridge == null) {
            LOG.info("proxied call {} was already over", call);
            return;
        }
        bridge.close();
    }

    @Override
    public Sideband openSideband(RealtimeCallId call, SidebandListener listener) {
        MediaBridge bridge = calls.get(call);
        if (bridge == null || bridge.ended()) {
            calls.remove(call);
            // The port's promise: a call that is over is reported over.
            listener.onEvent(new RealtimeEvent.CallEnded("call_not_found", TranscriptSource.SIDEBAND,
                    upstream.clock().instant()));
            return () -> { };
        }
        bridge.attach(listener);
        return () -> bridge.detach(listener);
    }

    /** Latency samples of every bridge of this gateway (benchmarks). */
    public BridgeStats stats() {
        return stats;
    }

    /** Calls bridged and not hung up. */
    public int liveCalls() {
        calls.values().removeIf(MediaBridge::ended);
        return calls.size();
    }

    /** Hangs up every call and stops the playout thread. */
    @Override
    public void close() {
        calls.values().forEach(MediaBridge::close);
        calls.clear();
        ticker.shutdownNow();
    }

    /**
     * Test seam: what each bridge made from now on is also handed to {@code observer} (see {@link MediaBridge.Tap});
     * the product never sets it.
     */
    void tapNewBridges(MediaBridge.Tap observer) {
        tap = Objects.requireNonNull(observer, "observer");
    }

    /** The live bridges (tests). */
    java.util.Collection<MediaBridge> bridges() {
        return calls.values();
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Override
    public String toString() {
        return "ProxyRealtimeGateway[" + calls.size() + " calls]";
    }
}
