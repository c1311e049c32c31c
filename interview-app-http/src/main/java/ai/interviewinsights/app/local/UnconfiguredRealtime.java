package ai.interviewinsights.app.local;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.evaluation.Evaluation;
import ai.interviewinsights.domain.model.realtime.ClientSecret;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.port.out.EvaluationGenerator;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import java.time.Duration;

/**
 * OpenAI when {@code OPENAI_API_KEY} is not set: the app still starts and serves everything else, and each call that
 * needs OpenAI answers 503 with a problem naming the variable to set.
 */
public final class UnconfiguredRealtime implements RealtimeGateway, EvaluationGenerator {

    static DomainException notConfigured() {
        return DomainException.unavailable("realtime.not_configured",
                "OpenAI is not configured: set OPENAI_API_KEY and restart");
    }

    @Override
    public ClientSecret mintClientSecret(RealtimeSessionConfig config, Duration ttl) {
        throw notConfigured();
    }

    @Override
    public RelayedCall relay(SdpOffer offer, RealtimeSessionConfig config) {
        throw notConfigured();
    }

    @Override
    public void hangUp(RealtimeCallId call) {
        // No call can exist without a key: nothing to hang up.
    }

    @Override
    public Sideband openSideband(RealtimeCallId call, SidebandListener listener) {
        throw notConfigured();
    }

    @Override
    public Evaluation generate(Request request) {
        throw notConfigured();
    }
}
