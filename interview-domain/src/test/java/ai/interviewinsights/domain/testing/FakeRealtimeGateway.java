package ai.interviewinsights.domain.testing;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.realtime.ClientSecret;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpAnswer;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OpenAI's Realtime API in memory: answers offers with an OpenAI-shaped answer (validated like the real adapter
 * does), hands out call ids, and lets a test play the call's server events into the sideband with {@link #emit}.
 */
public final class FakeRealtimeGateway implements RealtimeGateway {

    private final Clock clock;
    private final AtomicInteger calls = new AtomicInteger();
    private final Map<RealtimeCallId, SidebandListener> sidebands = new ConcurrentHashMap<>();
    private final Set<RealtimeCallId> hungUp = ConcurrentHashMap.newKeySet();
    private final List<RealtimeSessionConfig> relayedConfigs = new CopyOnWriteArrayList<>();
    private final List<String> relayedOffers = new CopyOnWriteArrayList<>();
    private final List<RealtimeSessionConfig> mintedConfigs = new CopyOnWriteArrayList<>();
    private volatile DomainException nextRelayFailure;
    private final java.util.Deque<String[]> scriptedAnswers = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final java.util.Deque<ClientSecret> scriptedSecrets = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final Map<String, List<RealtimeEvent>> scriptedStreams = new ConcurrentHashMap<>();

    public FakeRealtimeGateway(Clock clock) {
        this.clock = clock;
    }

    @Override
    public ClientSecret mintClientSecret(RealtimeSessionConfig config, Duration ttl) {
        mintedConfigs.add(config);
        ClientSecret scripted = scriptedSecrets.poll();
        if (scripted != null) {
            return scripted;
        }
        return new ClientSecret(Secret.of("ek_fake_" + calls.incrementAndGet()), clock.instant().plus(ttl));
    }

    @Override
    public RelayedCall relay(SdpOffer offer, RealtimeSessionConfig config) {
        DomainException failure = nextRelayFailure;
        if (failure != null) {
            nextRelayFailure = null;
            throw failure;
        }
        relayedOffers.add(offer.text());
        relayedConfigs.add(config);
        String[] scripted = scriptedAnswers.poll();
        if (scripted != null) {
            return new RelayedCall(SdpAnswer.validate(scripted[0], offer), new RealtimeCallId(scripted[1]));
        }
        RealtimeCallId id = new RealtimeCallId("rtc_fake_" + calls.incrementAndGet());
        return new RelayedCall(SdpAnswer.validate(SdpAnswers.answerFor(offer), offer), id);
    }

    @Override
    public void hangUp(RealtimeCallId call) {
        hungUp.add(call);
        SidebandListener listener = sidebands.remove(call);
        if (listener != null) {
            listener.onEvent(new RealtimeEvent.CallEnded("hung up", TranscriptSource.SIDEBAND, clock.instant()));
        }
    }

    @Override
    public Sideband openSideband(RealtimeCallId call, SidebandListener listener) {
        if (hungUp.contains(call)) {
            throw new DomainException(ErrorKind.UPSTREAM_FAILED, "realtime.call_not_found", "the call is over");
        }
        List<RealtimeEvent> script = scriptedStreams.remove(call.value());
        if (script != null) {
            script.forEach(listener::onEvent);
            listener.onEvent(new RealtimeEvent.CallEnded("call ended", TranscriptSource.SIDEBAND, clock.instant()));
            return () -> { };
        }
        sidebands.put(call, listener);
        return () -> sidebands.remove(call, listener);
    }

    /** Plays one server event into the call's sideband, as OpenAI would. */
    public void emit(RealtimeCallId call, RealtimeEvent event) {
        SidebandListener listener = sidebands.get(call);
        if (listener == null) {
            throw new IllegalStateException("no sideband is open for " + call);
        }
        listener.onEvent(event);
    }

    /** The call ends on OpenAI's side (the browser closed the peer connection). */
    public void endCall(RealtimeCallId call) {
        SidebandListener listener = sidebands.remove(call);
        if (listener != null) {
            listener.onEvent(new RealtimeEvent.CallEnded("call ended", TranscriptSource.SIDEBAND, clock.instant()));
        }
    }

    /** The next relay is answered with this SDP and call id (still validated against the offer). */
    public void willAnswer(String answerSdp, String callId) {
        scriptedAnswers.add(new String[] {answerSdp, callId});
    }

    public void willMint(ClientSecret secret) {
        scriptedSecrets.add(secret);
    }

    /** The sideband of this call will deliver these events, then the call ends. */
    public void willStream(String callId, List<RealtimeEvent> events) {
        scriptedStreams.put(callId, List.copyOf(events));
    }

    /** The runner holding this call's sideband dies: the connection vanishes without a word. */
    public void dropSideband(RealtimeCallId call) {
        sidebands.remove(call);
    }

    public void failNextRelay(DomainException failure) {
        this.nextRelayFailure = failure;
    }

    /** The calls whose sideband is open now. */
    public Set<RealtimeCallId> openSidebands() {
        return Set.copyOf(sidebands.keySet());
    }

    public boolean isSidebandOpen(RealtimeCallId call) {
        return sidebands.containsKey(call);
    }

    public Set<RealtimeCallId> hungUpCalls() {
        return Set.copyOf(hungUp);
    }

    public List<RealtimeSessionConfig> relayedConfigs() {
        return List.copyOf(relayedConfigs);
    }

    public List<String> relayedOffers() {
        return new ArrayList<>(relayedOffers);
    }

    public List<RealtimeSessionConfig> mintedConfigs() {
        return List.copyOf(mintedConfigs);
    }
}
