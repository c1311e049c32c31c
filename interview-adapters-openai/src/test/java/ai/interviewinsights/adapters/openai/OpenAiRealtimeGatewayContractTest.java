package ai.interviewinsights.adapters.openai;

import static ai.interviewinsights.adapters.openai.OpenAiTesting.answer;
import static ai.interviewinsights.adapters.openai.OpenAiTesting.error;
import static ai.interviewinsights.adapters.openai.OpenAiTesting.jsonReply;

import ai.interviewinsights.domain.contract.RealtimeGatewayContract;
import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import ai.interviewinsights.domain.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The domain's gateway contract, held against the real adapter speaking the GA wire format to MockWebServer: the same
 * tests the in-memory fake passes.
 */
class OpenAiRealtimeGatewayContractTest extends RealtimeGatewayContract {

    @StartStop
    final MockWebServer server = new MockWebServer();

    private OpenAiAdapters openai;

    @BeforeEach
    void create() {
        openai = OpenAiAdapters.create(OpenAiTesting.config(server), MutableClock.at("2026-11-22T10:00:00Z"));
    }

    @AfterEach
    void close() {
        openai.close();
    }

    @Override
    protected RealtimeGateway gateway() {
        return openai.realtime();
    }

    @Override
    protected void openAiAnswers(String answerSdp, String callId) {
        server.enqueue(answer(answerSdp, callId));
        // The adapter hangs up a call whose answer it rejects.
        server.enqueue(new MockResponse.Builder().code(200).build());
    }

    @Override
    protected void openAiMintsSecret(String value, Instant expiresAt) {
        server.enqueue(jsonReply(200, "{\"value\": \"" + value + "\", \"expires_at\": " + expiresAt.getEpochSecond()
                + ", \"session\": {\"type\": \"realtime\", \"object\": \"realtime.session\"}}"));
    }

    @Override
    protected void openAiStreams(String callId, List<RealtimeEvent> events) {
        GaEvents ga = new GaEvents();
        List<String> wire = new java.util.ArrayList<>();
        wire.add(ga.sessionCreated());
        events.forEach(e -> wire.add(ga.toWire(e)));
        server.enqueue(ScriptedSideband.stream(wire, ScriptedSideband.Ending.CLOSE));
        // Reconnecting after OpenAI closed the socket tells the adapter the call is over.
        server.enqueue(error(404, "invalid_request_error", "call_not_found", "Call " + callId + " not found"));
    }

    @Override
    protected void openAiAcceptsHangUp(String callId) {
        server.enqueue(new MockResponse.Builder().code(200).build());
    }

    @Override
    protected List<String> callsOpenAiHungUp() {
        List<String> calls = new java.util.ArrayList<>();
        try {
            for (RecordedRequest request; (request = server.takeRequest(0, TimeUnit.SECONDS)) != null; ) {
                List<String> path = request.getUrl().pathSegments();
                if ("POST".equals(request.getMethod()) && path.size() == 5 && path.get(4).equals("hangup")
                        && path.subList(0, 3).equals(List.of("v1", "realtime", "calls"))) {
                    calls.add(path.get(3));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return calls;
    }
}
