package ai.interviewinsights.adapters.openai;

import static ai.interviewinsights.adapters.openai.OpenAiTesting.FAKE_KEY;
import static ai.interviewinsights.adapters.openai.OpenAiTesting.answer;
import static ai.interviewinsights.adapters.openai.OpenAiTesting.error;
import static ai.interviewinsights.adapters.openai.OpenAiTesting.jsonReply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.realtime.ClientSecret;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.port.out.EvaluationGenerator;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.MutableClock;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs every path of the adapter (successes, each error, the sideband, the evaluation) with a recognisable fake key
 * and everything logged down to TRACE, then looks for the key, and for the minted client secret, in every log line,
 * every exception and every {@code toString}.
 */
class SecretHygieneTest {

    static final String MINTED = "ek_68af296e8e408191a1120ab6383263c2";
    static final SdpOffer OFFER = SdpOffer.validate(Fixtures.resource("sdp/chrome-offer.sdp"));
    static final String ANSWER = Fixtures.resource("sdp/openai-answer.sdp");

    @StartStop
    final MockWebServer server = new MockWebServer();

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final List<Object> seen = new ArrayList<>();
    private RealtimeGateway realtime;
    private Logger root;
    private Level rootLevel;
    private Logger ours;
    private Level ourLevel;

    @BeforeEach
    void captureEverything() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ours = (Logger) LoggerFactory.getLogger("ai.interviewinsights");
        rootLevel = root.getLevel();
        ourLevel = ours.getLevel();
        root.setLevel(Level.ALL);
        ours.setLevel(Level.ALL);
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void restore() {
        root.detachAppender(logs);
        root.setLevel(rootLevel);
        ours.setLevel(ourLevel);
    }

    @Test
    void the_key_appears_in_no_log_exception_or_string_on_any_path() throws Exception {
        OpenAiConfig config = OpenAiTesting.config(server);
        try (OpenAiAdapters openai = OpenAiAdapters.create(config, MutableClock.at("2026-11-22T10:00:00Z"))) {
            realtime = openai.realtime();
            EvaluationGenerator evaluator = openai.evaluator();
            seen.add(config);
            seen.add(openai);
            seen.add(realtime);
            seen.add(evaluator);

            // Successes.
            server.enqueue(jsonReply(200, "{\"value\": \"" + MINTED + "\", \"expires_at\": 1795000000,"
                    + " \"session\": {\"type\": \"realtime\"}}"));
            ClientSecret secret = realtime.mintClientSecret(RealtimeRequestsTest.SESSION, Duration.ofMinutes(1));
            seen.add(secret);
            server.enqueue(answer(ANSWER, "rtc_ok"));
            RelayedCall call = realtime.relay(OFFER, RealtimeRequestsTest.SESSION);
            seen.add(call);
            server.enqueue(new MockResponse.Builder().code(200).build());
            realtime.hangUp(call.callId());
            server.enqueue(EvaluationTest.reply(EvaluationTest.validAnswer()));
            seen.add(evaluator.generate(request()));

            // Every error path, some of them echoing the key the way OpenAI's messages do.
            String echoed = "Incorrect API key provided: " + FAKE_KEY + ". You can find your API key at ...";
            tryRelay(jsonReply(400, "{\"error\":{\"message\":\"\",\"type\":\"\",\"param\":\"\",\"code\":\"\"}}"));
            tryRelay(error(400, "invalid_request_error", "invalid_value", "Bad value near " + FAKE_KEY));
            tryRelay(error(401, "invalid_request_error", "invalid_api_key", echoed));
            tryRelay(error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided: "
                    + FAKE_KEY.substring(0, 12) + "*****" + FAKE_KEY.substring(FAKE_KEY.length() - 4)));
            server.enqueue(new MockResponse.Builder(error(429, "requests", "rate_limit_exceeded", echoed))
                    .setHeader("retry-after-ms", "20").build());
            tryRelay(answer(ANSWER, "rtc_after_429"));
            tryRelay(error(429, "insufficient_quota", "insufficient_quota", echoed));
            server.enqueue(error(500, "server_error", null, echoed));
            server.enqueue(error(500, "server_error", null, echoed));
            tryRelay(error(500, "server_error", null, echoed));
            server.enqueue(error(503, "server_error", "overloaded", echoed));
            server.enqueue(error(503, "server_error", "overloaded", echoed));
            tryRelay(error(503, "server_error", "overloaded", echoed));
            server.enqueue(new MockResponse.Builder().code(201).setHeader("Location", "/v1/realtime/calls/rtc_json")
                    .body("{\"echo\": \"" + FAKE_KEY + "\"}").build());
            tryRelay(new MockResponse.Builder().code(200).build());
            server.enqueue(answer(ANSWER.replace("a=setup:active", "a=setup:actpass"), "rtc_bad"));
            tryRelay(new MockResponse.Builder().code(200).build());
            tryRelay(answer(ANSWER, null));
            server.enqueue(error(404, "invalid_request_error", null, echoed));
            attempt(() -> realtime.hangUp(new RealtimeCallId("rtc_gone")));
            server.enqueue(error(401, "invalid_request_error", "invalid_api_key", echoed));
            attempt(() -> realtime.mintClientSecret(RealtimeRequestsTest.SESSION, Duration.ofMinutes(1)));
            server.enqueue(error(401, "invalid_request_error", "invalid_api_key", echoed));
            attempt(() -> evaluator.generate(request()));
            server.enqueue(EvaluationTest.reply(EvaluationTest.answer("every write", "not a key " + FAKE_KEY)));
            attempt(() -> evaluator.generate(request()));
            for (int i = 0; i < 3; i++) {
                server.enqueue(new MockResponse.Builder().headersDelay(2, TimeUnit.SECONDS).code(200).build());
            }
            attempt(() -> realtime.hangUp(new RealtimeCallId("rtc_slow")));

            // The sideband: a stream with an error event echoing the key, a reconnect, the end; and a refusal.
            GaEvents ga = new GaEvents();
            server.enqueue(ScriptedSideband.stream(List.of(ga.itemAdded("item_a1", null, "assistant"),
                    ga.error("invalid_request_error", "invalid_api_key", echoed),
                    ga.outputDone("item_a1", "Hello.")), ScriptedSideband.Ending.CLOSE));
            server.enqueue(error(404, "invalid_request_error", null, echoed));
            ScriptedSideband.Recorder recorder = new ScriptedSideband.Recorder();
            try (RealtimeGateway.Sideband sideband = realtime.openSideband(new RealtimeCallId("rtc_side"), recorder)) {
                seen.add(sideband);
                assertTrue(recorder.awaitEnd());
            }
            server.enqueue(error(401, "invalid_request_error", "invalid_api_key", echoed));
            ScriptedSideband.Recorder refused = new ScriptedSideband.Recorder();
            try (RealtimeGateway.Sideband sideband = realtime.openSideband(new RealtimeCallId("rtc_refused"),
                    refused)) {
                assertTrue(refused.awaitEnd());
            }
            seen.addAll(refused.events);
            seen.addAll(recorder.events);
            assertTrue(recorder.events.stream().anyMatch(e -> e instanceof RealtimeEvent.ServerError),
                    "the error event, echoing the key, was delivered (scrubbed)");
        }

        // No connection at all.
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (OpenAiAdapters nowhere = OpenAiAdapters.create(OpenAiTesting.config(server)
                .withBaseUrl(URI.create("http://127.0.0.1:" + closedPort)), MutableClock.at("2026-11-22T10:00:00Z"))) {
            attempt(() -> nowhere.realtime().hangUp(new RealtimeCallId("rtc_x")));
        }

        List<ILoggingEvent> events;
        synchronized (logs) { // on the root logger: OkHttp's and the sideband's threads may still append
            events = new ArrayList<>(logs.list);
        }
        assertTrue(events.size() > 20, "the paths logged: " + events.size() + " lines");
        assertTrue(seen.stream().filter(o -> o instanceof Throwable).count() >= 15, "the error paths ran");
        for (ILoggingEvent event : events) {
            String line = event.getFormattedMessage() + " " + describe(event.getThrowableProxy());
            assertClean(line, "log line from " + event.getLoggerName());
        }
        for (Object object : seen) {
            assertClean(object.toString(), "toString of " + object.getClass().getSimpleName());
            if (object instanceof Throwable t) {
                for (Throwable c = t; c != null; c = c.getCause()) {
                    assertClean(String.valueOf(c.getMessage()), "message of " + c.getClass().getSimpleName());
                }
            }
        }
        assertEquals(MINTED, ((ClientSecret) seen.get(4)).value().reveal(), "the secret is returned, only revealed");
    }

    @Test
    void configuration_and_secrets_print_without_their_values() {
        OpenAiConfig config = OpenAiTesting.config(server).withSafetyIdentifierKey(Secret.of("hmac-key-value-123"));
        assertClean(config.toString(), "config");
        assertFalse(config.toString().contains("hmac-key-value-123"));
        assertTrue(config.toString().contains("Secret[***]"));
    }

    private static void assertClean(String text, String where) {
        assertFalse(text.contains(FAKE_KEY), where + " contains the API key: " + text);
        assertFalse(text.contains("RECOGNISABLE"), where + " contains part of the API key: " + text);
        assertFalse(text.contains(MINTED), where + " contains the minted client secret: " + text);
    }

    private static String describe(IThrowableProxy proxy) {
        StringBuilder out = new StringBuilder();
        for (IThrowableProxy p = proxy; p != null; p = p.getCause()) {
            out.append(p.getClassName()).append(": ").append(p.getMessage()).append('\n');
            for (StackTraceElementProxy frame : p.getStackTraceElementProxyArray()) {
                out.append(frame.getSTEAsString()).append('\n');
            }
        }
        return out.toString();
    }

    /** Enqueues the last reply of a relay and relays, keeping the outcome. */
    private void tryRelay(MockResponse response) {
        server.enqueue(response);
        attempt(() -> seen.add(realtime.relay(OFFER, RealtimeRequestsTest.SESSION)));
    }

    private void attempt(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            seen.add(e);
        }
    }

    private static EvaluationGenerator.Request request() {
        return new EvaluationGenerator.Request(EvaluationTest.SESSION, EvaluationTest.POSITION,
                EvaluationTest.TRANSCRIPT, null);
    }
}
