package ai.interviewinsights.domain.fakes;

import ai.interviewinsights.domain.contract.RealtimeGatewayContract;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.realtime.ClientSecret;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import ai.interviewinsights.domain.testing.FakeRealtimeGateway;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

class FakeRealtimeGatewayTest extends RealtimeGatewayContract {

    private final FakeRealtimeGateway fake = new FakeRealtimeGateway(Clock.systemUTC());

    @Override
    protected RealtimeGateway gateway() {
        return fake;
    }

    @Override
    protected void openAiAnswers(String answerSdp, String callId) {
        fake.willAnswer(answerSdp, callId);
    }

    @Override
    protected void openAiMintsSecret(String value, Instant expiresAt) {
        fake.willMint(new ClientSecret(Secret.of(value), expiresAt));
    }

    @Override
    protected void openAiStreams(String callId, List<RealtimeEvent> events) {
        fake.willStream(callId, events);
    }

    @Override
    protected void openAiAcceptsHangUp(String callId) {
        // the fake accepts every hang-up
    }

    @Override
    protected List<String> callsOpenAiHungUp() {
        return fake.hangUpRequests().stream().map(RealtimeCallId::value).toList();
    }
}
