package ai.interviewinsights.app.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.sdp.SdpLimits;
import ai.interviewinsights.domain.runner.InterviewRunner;
import ai.interviewinsights.domain.testing.FakeRealtimeGateway;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** On Fly, every machine of a tenant app shares one host: a request for another machine is replayed to it. */
class FlyReplayTest {

    @Test
    void a_request_for_another_machine_is_answered_with_fly_replay_and_ours_is_served() throws Exception {
        SessionId session = new SessionId(UUID.randomUUID());
        TenantId tenant = Fixtures.ACME;
        InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
        RunnerServer server = new RunnerServer(session, tenant, Secret.of("a2V5"),
                observer -> new InterviewRunner(session,
                        new ai.interviewinsights.domain.runner.InProcessControlPlane(
                                Fixtures.runnerPrincipal(tenant, session), platform.services),
                        new FakeRealtimeGateway(Clock.systemUTC()), Clock.systemUTC(), SdpLimits.defaults(), observer),
                Clock.systemUTC(), () -> { }, "148e21f0c42958").start("127.0.0.1", 0);
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/ws?instance=3d8d9e1f0a1b2c&token=x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(307, other.statusCode());
            assertEquals("instance=3d8d9e1f0a1b2c", other.headers().firstValue("fly-replay").orElse(""));
            // A browser's WebSocket upgrade too (how a candidate reaches a runner on Fly), before it is upgraded.
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(10_000);
                String upgrade = "GET /ws?instance=3d8d9e1f0a1b2c&token=x HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n";
                socket.getOutputStream().write(upgrade.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                java.io.BufferedReader reply = new java.io.BufferedReader(new java.io.InputStreamReader(
                        socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
                java.util.List<String> head = new java.util.ArrayList<>();
                for (String line = reply.readLine(); line != null && !line.isEmpty(); line = reply.readLine()) {
                    head.add(line.toLowerCase(java.util.Locale.ROOT));
                }
                assertTrue(head.get(0).startsWith("http/1.1 307"), head.toString());
                assertTrue(head.contains("fly-replay: instance=3d8d9e1f0a1b2c"), head.toString());
            }
            HttpResponse<String> ours = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/health?instance=148e21f0c42958")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ours.statusCode());
            assertTrue(ours.headers().firstValue("fly-replay").isEmpty());
            // An instance that names nothing is no other machine: served here, not replayed to "instance=".
            HttpResponse<String> blank = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/health?instance=")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, blank.statusCode());
            assertTrue(blank.headers().firstValue("fly-replay").isEmpty());
            // The runner's answers carry the same security headers as the control plane's.
            assertEquals("nosniff", ours.headers().firstValue("X-Content-Type-Options").orElse(""));
            assertEquals("DENY", ours.headers().firstValue("X-Frame-Options").orElse(""));
        } finally {
            server.stop();
        }
    }

    /** Issue 10, defect 7: every runner has a deadline; one nobody joins ends its session and exits. */
    @Test
    void a_runner_nobody_joins_gives_up_at_its_idle_limit() throws Exception {
        InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
        platform.registerTenant(Fixtures.ACME);
        var admin = Fixtures.admin(Fixtures.ACME);
        var position = platform.services.positions().create(admin, "SRE", "Ops",
                java.util.List.of(new ai.interviewinsights.domain.model.position.Competency("Ops", "Runs", 1)));
        var candidate = platform.services.candidates().create(admin, "Ada", "ada@example.com");
        SessionId session = platform.services.startInterview().start(
                new ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview(admin, candidate.id(),
                        position.id(), null)).session().id();
        java.util.concurrent.CountDownLatch exited = new java.util.concurrent.CountDownLatch(1);
        RunnerServer server = new RunnerServer(session, Fixtures.ACME, Secret.of("a2V5"),
                observer -> new InterviewRunner(session,
                        new ai.interviewinsights.domain.runner.InProcessControlPlane(
                                Fixtures.runnerPrincipal(Fixtures.ACME, session), platform.services),
                        platform.openai, Clock.systemUTC(), SdpLimits.defaults(), observer),
                Clock.systemUTC(), exited::countDown).idleLimit(java.time.Duration.ofSeconds(1))
                .start("127.0.0.1", 0);
        try {
            assertTrue(exited.await(30, java.util.concurrent.TimeUnit.SECONDS), "the runner gave up and exits");
            assertEquals(ai.interviewinsights.domain.model.session.SessionStatus.CANCELLED,
                    platform.services.sessions().get(admin, session).status());
        } finally {
            server.stop();
        }
    }
}
