package ai.interviewinsights.app.runner;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.tokens.SessionTokens;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.sdp.SdpLimits;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.port.out.SessionTokenIssuer.Grant;
import ai.interviewinsights.domain.runner.InProcessControlPlane;
import ai.interviewinsights.domain.runner.InterviewRunner;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runner's WebSocket and HTTP answers over a real socket, in one JVM: a {@link RunnerServer} on Jetty (ADR 0027)
 * and the JDK's WebSocket and HTTP clients, with the control plane in-process over the domain's fakes. Every client message type goes over the wire
 * and every server message type comes back, with the connection rules of docs/protocol.md (auth, replacement, the
 * closing codes).
 */
class RunnerWebSocketTest {

    private static final String OFFER = Fixtures.resource("sdp/chrome-offer.sdp");

    private final InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
    private final ObjectMapper json = new ObjectMapper();
    private final SessionTokens tokens = new SessionTokens(Secret.of("a master key of the right length, 32+"),
            Clock.systemUTC());
    private final CompletableFuture<Void> exited = new CompletableFuture<>();
    private SessionId session;
    private RunnerServer server;

    @BeforeEach
    void start() {
        platform.registerTenant(ACME);
        Principal admin = Fixtures.admin(ACME);
        var position = platform.services.positions().create(admin, "SRE", "Ops",
                List.of(new Competency("Operations", "Runs things", 1)));
        var candidate = platform.services.candidates().create(admin, "Ada", "ada@example.com");
        session = platform.services.startInterview().start(new StartInterview(admin, candidate.id(), position.id(),
                null)).session().id();
        server = new RunnerServer(session, ACME, tokens.clientVerificationKey(ACME, session),
                observer -> new InterviewRunner(session, new InProcessControlPlane(
                        Fixtures.runnerPrincipal(ACME, session), platform.services), platform.openai,
                        Clock.systemUTC(), SdpLimits.defaults(), observer, InterviewRunner.DrainPolicy.NONE),
                Clock.systemUTC(), () -> exited.complete(null)).pingEvery(Duration.ofMillis(200))
                .start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private String token(Instant expiresAt) {
        return tokens.issue(new Grant(ACME, session, Role.CANDIDATE, expiresAt)).token().reveal();
    }

    /** A browser: what it receives, in order, and how its socket was closed. */
    private static final class Browser implements WebSocket.Listener {
        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final StringBuilder partial = new StringBuilder();
        final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket ws, java.nio.ByteBuffer message) {
            pings.incrementAndGet();
            return WebSocket.Listener.super.onPing(ws, message);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        void send(String frame) {
            socket.sendText(frame, true).join();
        }
    }

    private Browser connect(String query) throws Exception {
        Browser browser = new Browser();
        browser.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws?" + query), browser)
                .get(10, TimeUnit.SECONDS);
        return browser;
    }

    private String query(String token) {
        return "session=" + session + "&tenant=" + ACME + (token == null ? "" : "&token=" + token);
    }

    private JsonNode next(Browser browser) throws Exception {
        String frame = browser.received.poll(10, TimeUnit.SECONDS);
        assertTrue(frame != null, "a message from the runner");
        return json.readTree(frame);
    }

    private void refusedWith(String query, String code) throws Exception {
        Browser browser = connect(query);
        JsonNode error = next(browser);
        assertEquals("error", error.get("type").asText());
        assertEquals(code, error.get("code").asText());
        assertEquals(1008, browser.closed.get(10, TimeUnit.SECONDS));
    }

    /**
     * A browser's upgrade sent by hand (the JDK's client sets these headers itself), with a valid token, the given
     * WebSocket version and extra header lines; returns the answer's status line and headers.
     */
    private List<String> upgradeHead(String version, String extraHeaders) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            String request = "GET /ws?" + query(token(Instant.now().plus(Duration.ofMinutes(30)))) + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + server.port() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: " + version + "\r\n"
                    + extraHeaders + "\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.BufferedReader reply = new java.io.BufferedReader(new java.io.InputStreamReader(
                    socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
            List<String> head = new java.util.ArrayList<>();
            for (String line = reply.readLine(); line != null && !line.isEmpty(); line = reply.readLine()) {
                head.add(line);
            }
            return head;
        }
    }

    @Test
    void the_runner_declines_per_message_compression_a_browser_offers() throws Exception {
        // What Chrome sends: the runner answers the upgrade without the extension, so neither side deflates or
        // inflates a message (decision 26, amended: small messages, the runner's CPU and memory per connection).
        List<String> head = upgradeHead("13",
                "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");
        assertTrue(head.get(0).startsWith("HTTP/1.1 101"), head.toString());
        assertTrue(head.stream().noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT)
                .startsWith("sec-websocket-extensions")), head.toString());
        // Nor a cookie: the runner reads no HTTP session, and a candidate's browser gets nothing to store.
        assertTrue(head.stream().noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("set-cookie")),
                head.toString());
    }

    @Test
    void the_runner_pings_its_browser() throws Exception {
        // What keeps a silent candidate's connection open through proxies that close idle ones.
        Browser browser = connect(query(token(Instant.now().plus(Duration.ofMinutes(30)))));
        assertEquals("connected", next(browser).get("status").asText());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (browser.pings.get() < 2 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertTrue(browser.pings.get() >= 2, "pings received: " + browser.pings.get());
    }

    @Test
    void a_websocket_url_the_handshake_cannot_parse_is_a_400_and_its_token_is_not_logged() throws Exception {
        // Jetty takes a raw '|' in a query, java.net.URI (which Jetty's handshake makes of it) does not.
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        root.addAppender(logged);
        String token = token(Instant.now().plus(Duration.ofMinutes(30)));
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            String request = "GET /ws?" + query(token) + "&x=a|b HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 400", reply);
        } finally {
            root.detachAppender(logged);
        }
        assertTrue(logged.list.stream().noneMatch(event -> event.getFormattedMessage().contains(token)
                        || (event.getThrowableProxy() != null && event.getThrowableProxy().getMessage() != null
                        && event.getThrowableProxy().getMessage().contains(token))),
                "the token was logged: " + logged.list);
        // A query that cannot be decoded at all: a 400 with its code (sent by hand: the JDK's client refuses it).
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /health?a=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close"
                    + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(reply.startsWith("HTTP/1.1 400"), reply);
            assertTrue(reply.contains("\"code\":\"request.malformed\""), reply);
        }
    }

    @Test
    void an_upgrade_in_a_websocket_version_the_runner_does_not_speak_is_a_426_naming_13() throws Exception {
        List<String> head = upgradeHead("8", "").stream().map(line -> line.toLowerCase(java.util.Locale.ROOT))
                .toList();
        assertTrue(head.get(0).startsWith("http/1.1 426"), head.toString());
        assertTrue(head.contains("sec-websocket-version: 13"), head.toString());
        assertTrue(head.contains("content-type: application/problem+json"), head.toString());
    }

    @Test
    void a_failure_of_ours_while_a_browser_connects_is_said_closed_1011_and_logged() throws Exception {
        // A key the runner cannot use (not base64url): verifying any token fails inside the runner, not the token.
        RunnerServer broken = new RunnerServer(session, ACME, Secret.of("not base64url at all!"),
                observer -> new InterviewRunner(session, new InProcessControlPlane(
                        Fixtures.runnerPrincipal(ACME, session), platform.services), platform.openai,
                        Clock.systemUTC(), SdpLimits.defaults(), observer, InterviewRunner.DrainPolicy.NONE),
                Clock.systemUTC(), () -> { }).start("127.0.0.1", 0);
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                RunnerServer.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            Browser browser = new Browser();
            browser.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:"
                    + broken.port() + "/ws?" + query(token(Instant.now().plus(Duration.ofMinutes(30))))), browser)
                    .get(10, TimeUnit.SECONDS);
            assertEquals("internal", next(browser).get("code").asText());
            assertEquals(1011, browser.closed.get(10, TimeUnit.SECONDS));
            assertTrue(logged.list.stream().anyMatch(event -> event.getLevel() == ch.qos.logback.classic.Level.ERROR
                    && event.getFormattedMessage().contains("connection failed")), logged.list.toString());
        } finally {
            logger.detachAppender(logged);
            broken.stop();
        }
    }

    @Test
    void every_http_answer_is_a_problem_document_or_json_with_the_security_headers_and_a_request_id()
            throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.port();
        java.util.function.BiFunction<String, java.net.http.HttpRequest.Builder, java.net.http.HttpResponse<String>>
                send = (path, request) -> {
                    try {
                        return client.send(request.uri(URI.create(base + path)).build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString());
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                };
        var health = send.apply("/health", java.net.http.HttpRequest.newBuilder().header("X-Request-Id", "trace-42"));
        assertEquals(200, health.statusCode());
        assertEquals("up", json.readTree(health.body()).get("status").asText());
        assertEquals("trace-42", health.headers().firstValue("X-Request-Id").orElseThrow(), "a sane id is echoed");
        var unknown = send.apply("/nothing-here", java.net.http.HttpRequest.newBuilder()
                .header("X-Request-Id", "not sane!"));
        assertProblem(unknown, 404, "route.not_found");
        String fresh = unknown.headers().firstValue("X-Request-Id").orElseThrow();
        assertTrue(fresh.matches("[0-9a-f-]{36}"), "an insane id is replaced: " + fresh);
        assertEquals(fresh, json.readTree(unknown.body()).get("request_id").asText());
        assertProblem(send.apply("/health", java.net.http.HttpRequest.newBuilder()
                .DELETE()), 405, "route.method_not_allowed");
        assertProblem(send.apply("/ws", java.net.http.HttpRequest.newBuilder()), 400, "request.not_websocket");
        assertProblem(send.apply("/api/sdp", java.net.http.HttpRequest.newBuilder()
                .header("Content-Type", "application/sdp").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        OFFER))), 401, "auth.missing");
        assertProblem(send.apply("/api/sdp", java.net.http.HttpRequest.newBuilder()
                .header("Authorization", "Bearer " + token(Instant.now().plus(Duration.ofMinutes(30))))
                .header("Content-Type", "text/plain").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        OFFER))), 415, "request.unsupported_media_type");
        for (var answer : List.of(health, unknown)) {
            assertEquals("nosniff", answer.headers().firstValue("X-Content-Type-Options").orElse(null));
            assertEquals("DENY", answer.headers().firstValue("X-Frame-Options").orElse(null));
            assertEquals("default-src 'none'; frame-ancestors 'none'",
                    answer.headers().firstValue("Content-Security-Policy").orElse(null));
            assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElse(null));
            assertTrue(answer.headers().firstValue("Server").isEmpty(), "no server version is told");
        }
    }

    private void assertProblem(java.net.http.HttpResponse<String> answer, int status, String code) throws Exception {
        assertEquals(status, answer.statusCode(), answer.body());
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                answer.headers().toString());
        assertEquals(code, json.readTree(answer.body()).get("code").asText(), answer.body());
    }

    @Test
    void a_bad_token_gets_its_auth_error_and_close_1008() throws Exception {
        Instant later = Instant.now().plus(Duration.ofMinutes(30));
        refusedWith(query(null), "auth.missing");
        refusedWith(query(token(Instant.now().minus(Duration.ofMinutes(5)))), "auth.expired");
        String valid = token(later);
        refusedWith(query(valid.substring(0, valid.length() - 4) + "AAAA"), "auth.bad_signature");
        refusedWith("session=" + new SessionId(java.util.UUID.randomUUID()) + "&tenant=" + ACME + "&token=" + valid,
                "auth.wrong_session");
    }

    @Test
    void every_message_type_over_a_real_socket() throws Exception {
        String token = token(Instant.now().plus(Duration.ofMinutes(30)));
        Browser browser = connect(query(token));
        JsonNode connected = next(browser);
        assertEquals(Map.of("type", "status", "status", "connected", "session_id", session.toString()),
                json.convertValue(connected, Map.class));

        browser.send("{\"type\":\"ping\"}");
        assertEquals("{\"type\":\"pong\"}", json.writeValueAsString(next(browser)));

        browser.send("{\"type\":\"shout\"}");
        JsonNode unknown = next(browser);
        assertEquals("protocol.unknown_type", unknown.get("code").asText());

        browser.send(json.writeValueAsString(Map.of("type", "sdp_offer", "sdp", OFFER)));
        assertEquals("sdp_answer", next(browser).get("type").asText());
        JsonNode active = next(browser);
        assertEquals("active", active.get("status").asText());
        assertTrue(active.has("deadline"), "the interview's deadline once the call is up");

        browser.send("{\"type\":\"transcript_update\",\"entries\":[{\"text\":\"Hello\",\"speaker\":\"candidate\","
                + "\"key\":\"k-1\"}]}");
        JsonNode ack = next(browser);
        assertEquals("transcript_ack", ack.get("type").asText());

        // A reconnect replaces this connection; the interview goes on on the new one.
        Browser again = connect(query(token));
        JsonNode replaced = next(browser);
        assertEquals("replaced", replaced.get("status").asText());
        assertEquals(4001, browser.closed.get(10, TimeUnit.SECONDS));
        assertEquals("connected", next(again).get("status").asText());

        again.send("{\"type\":\"end_session\"}");
        JsonNode ended = next(again);
        // Entries the end made durable are acknowledged first.
        while ("transcript_ack".equals(ended.get("type").asText())) {
            ended = next(again);
        }
        assertEquals("ended", ended.path("status").asText(), ended.toString());
        assertEquals("candidate_ended", ended.path("reason").asText(), ended.toString());
        assertEquals(1000, again.closed.get(10, TimeUnit.SECONDS));
        exited.get(10, TimeUnit.SECONDS);
    }

    /**
     * The control plane stops a runner as soon as it has the interview's end (its evaluation done, quick with a fast
     * model), and under load that can come before the runner has told its browser: stop 24's CI lost an e2e test's
     * {@code ended} that way. A runner stopped (SIGTERM) while its end is being reported lets the report finish, tells
     * the browser {@code ended} with the end's own reason, closes with 1000, and only then stops.
     */
    @Test
    void a_runner_stopped_while_its_end_is_being_reported_tells_the_browser_the_end_before_it_stops()
            throws Exception {
        server.stop();
        java.util.concurrent.CountDownLatch endReported = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch replyArrives = new java.util.concurrent.CountDownLatch(1);
        server = new RunnerServer(session, ACME, tokens.clientVerificationKey(ACME, session),
                observer -> new InterviewRunner(session, new ai.interviewinsights.domain.testing.ForwardingControlPlane(
                        new InProcessControlPlane(Fixtures.runnerPrincipal(ACME, session), platform.services)) {
                    @Override
                    public void ended(ai.interviewinsights.domain.model.session.EndReason reason,
                                      ai.interviewinsights.domain.model.recording.RecordingReport recording) {
                        real.ended(reason, recording); // the control plane has the end ...
                        endReported.countDown();
                        try {
                            replyArrives.await(); // ... and its reply is slow to reach the runner
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }, platform.openai, Clock.systemUTC(), SdpLimits.defaults(), observer,
                        InterviewRunner.DrainPolicy.NONE),
                Clock.systemUTC(), () -> exited.complete(null)).start("127.0.0.1", 0);
        Browser browser = connect(query(token(Instant.now().plus(Duration.ofMinutes(30)))));
        callThenEnd(browser);
        assertTrue(endReported.await(10, TimeUnit.SECONDS), "the end reached the control plane");

        RunnerServer stopping = server;
        CompletableFuture<Void> signalled = CompletableFuture.runAsync(stopping::shutDown); // SIGTERM
        // The reply arrives once the stop is under way: it waits for the end (today's), or it has already told the
        // browser something else and stopped (what it did before).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!signalled.isDone() && browser.received.isEmpty() && !shutDownWorkWaits()
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        replyArrives.countDown();

        JsonNode ended = next(browser);
        assertEquals("ended", ended.path("status").asText(), ended.toString());
        assertEquals("candidate_ended", ended.path("reason").asText(), "the end's own goodbye: " + ended);
        assertEquals(1000, browser.closed.get(10, TimeUnit.SECONDS));
        signalled.get(10, TimeUnit.SECONDS);
        exited.get(10, TimeUnit.SECONDS);
    }

    /**
     * The same race one step later, the one stop 24's CI lost (reproduced by a 600 ms pause there): the end is
     * reported and the runner counts as ended, but has not told its browser yet when the stop comes. The stop waits
     * for that goodbye. A browser that connects meanwhile is told {@code ended}, closed with 1000, and replaces
     * nobody.
     */
    @Test
    void a_runner_stopped_after_its_end_was_reported_but_before_its_goodbye_still_says_it() throws Exception {
        server.stop();
        java.util.concurrent.CountDownLatch reportReturned = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch goOn = new java.util.concurrent.CountDownLatch(1);
        server = new RunnerServer(session, ACME, tokens.clientVerificationKey(ACME, session),
                observer -> new InterviewRunner(session, new InProcessControlPlane(
                        Fixtures.runnerPrincipal(ACME, session), platform.services), platform.openai,
                        Clock.systemUTC(), SdpLimits.defaults(), new InterviewRunner.Observer() {
                            @Override
                            public void transcriptRecorded(
                                    ai.interviewinsights.domain.model.transcript.AppendResult result) {
                                observer.transcriptRecorded(result);
                            }

                            @Override
                            public void ended(ai.interviewinsights.domain.model.session.EndReason reason) {
                                reportReturned.countDown(); // ended, and not yet said: a slow moment under load
                                try {
                                    goOn.await();
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                observer.ended(reason);
                            }
                        }, InterviewRunner.DrainPolicy.NONE),
                Clock.systemUTC(), () -> exited.complete(null)).start("127.0.0.1", 0);
        String token = token(Instant.now().plus(Duration.ofMinutes(30)));
        Browser browser = connect(query(token));
        callThenEnd(browser);
        assertTrue(reportReturned.await(10, TimeUnit.SECONDS), "the end was reported");
        // A browser that comes now (a reload) is told it is over and closed, and replaces nobody.
        Browser late = connect(query(token));
        assertEquals("ended", next(late).get("status").asText());
        assertEquals(1000, late.closed.get(10, TimeUnit.SECONDS));

        RunnerServer stopping = server;
        CompletableFuture<Void> signalled = CompletableFuture.runAsync(stopping::shutDown); // SIGTERM
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!signalled.isDone() && !shutDownWorkWaits() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        goOn.countDown();

        JsonNode ended = next(browser);
        assertEquals("ended", ended.path("status").asText(), ended.toString());
        assertEquals("candidate_ended", ended.path("reason").asText(), ended.toString());
        assertEquals(1000, browser.closed.get(10, TimeUnit.SECONDS));
        signalled.get(10, TimeUnit.SECONDS);
        exited.get(10, TimeUnit.SECONDS);
    }

    /**
     * The candidate's end whose report failed (the control plane unreachable) is reported again by the budget's
     * ticks, and that retry may wait for the control plane as long as its client retries (half a minute): it runs on
     * a thread of its own, not on the timer thread Jetty shares, which keeps pinging the browser meanwhile. Once the
     * control plane takes the end, the browser hears it.
     */
    @Test
    void an_end_whose_report_failed_is_reported_again_off_the_timer_thread_which_keeps_pinging() throws Exception {
        server.stop();
        java.util.concurrent.atomic.AtomicInteger reports = new java.util.concurrent.atomic.AtomicInteger();
        List<String> reportedOn = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch retrying = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
        var flaky = new ai.interviewinsights.domain.testing.ForwardingControlPlane(new InProcessControlPlane(
                Fixtures.runnerPrincipal(ACME, session), platform.services)) {
            @Override
            public void ended(ai.interviewinsights.domain.model.session.EndReason reason,
                              ai.interviewinsights.domain.model.recording.RecordingReport recording) {
                reportedOn.add(Thread.currentThread().getName());
                if (reports.incrementAndGet() == 1) {
                    throw new ai.interviewinsights.domain.model.DomainException(
                            ai.interviewinsights.domain.model.ErrorKind.UNAVAILABLE, "control_plane.unreachable",
                            "the control plane could not be reached", true, null);
                }
                retrying.countDown();
                try {
                    answer.await(20, TimeUnit.SECONDS); // the control plane slow to answer the retry
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                real.ended(reason, recording);
            }
        };
        server = new RunnerServer(session, ACME, tokens.clientVerificationKey(ACME, session),
                observer -> new InterviewRunner(session, flaky, platform.openai, Clock.systemUTC(),
                        SdpLimits.defaults(), observer, InterviewRunner.DrainPolicy.NONE),
                Clock.systemUTC(), () -> exited.complete(null)).pingEvery(Duration.ofMillis(200))
                .start("127.0.0.1", 0);
        Browser browser = connect(query(token(Instant.now().plus(Duration.ofMinutes(30)))));
        callThenEnd(browser);
        JsonNode failed = next(browser);
        while ("transcript_ack".equals(failed.get("type").asText())) {
            failed = next(browser);
        }
        assertEquals("control_plane.unreachable", failed.path("code").asText(), failed.toString());

        assertTrue(retrying.await(20, TimeUnit.SECONDS), "the ticks report the end again");
        int pings = browser.pings.get();
        Thread.sleep(1_000); // the retry waits for the control plane meanwhile
        assertTrue(browser.pings.get() >= pings + 2, "the timer thread kept pinging: " + (browser.pings.get() - pings));
        answer.countDown();
        JsonNode ended = next(browser);
        while (!"status".equals(ended.path("type").asText())) {
            ended = next(browser);
        }
        assertEquals("ended", ended.path("status").asText(), ended.toString());
        assertEquals("candidate_ended", ended.path("reason").asText(), ended.toString());
        assertEquals("runner-budget-end", reportedOn.get(1), "reported again on its own thread: " + reportedOn);
        exited.get(10, TimeUnit.SECONDS);
    }

    /** Connected, the call up, and the candidate's {@code end_session} sent. */
    private void callThenEnd(Browser browser) throws Exception {
        assertEquals("connected", next(browser).get("status").asText());
        browser.send(json.writeValueAsString(Map.of("type", "sdp_offer", "sdp", OFFER)));
        assertEquals("sdp_answer", next(browser).get("type").asText());
        assertEquals("active", next(browser).get("status").asText());
        browser.send("{\"type\":\"end_session\"}");
    }

    /** Whether the stopping runner's work thread is waiting (for the end's goodbye). */
    private static boolean shutDownWorkWaits() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("runner-shutdown-work")
                && t.getState() == Thread.State.TIMED_WAITING);
    }

    @Test
    void an_oversized_message_is_refused_and_the_socket_stays_open() throws Exception {
        Browser browser = connect(query(token(Instant.now().plus(Duration.ofMinutes(30)))));
        next(browser);
        browser.send("{\"type\":\"transcript_update\",\"pad\":\"" + "x".repeat(ai.interviewinsights.app.runner.protocol.RunnerProtocol.MAX_MESSAGE_CHARS)
                + "\"}");
        assertEquals("protocol.message_too_large", next(browser).get("code").asText());
        browser.send("{");
        assertEquals("protocol.malformed_json", next(browser).get("code").asText());
        browser.send("{\"type\":\"ping\"}");
        assertEquals("pong", next(browser).get("type").asText());
    }
}
