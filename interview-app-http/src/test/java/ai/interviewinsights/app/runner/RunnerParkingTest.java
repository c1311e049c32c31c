package ai.interviewinsights.app.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.sdp.SdpLimits;
import ai.interviewinsights.domain.runner.InterviewRunner;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A parked runner (a standby's, ADR 0020): up and listening for no session, it refuses every browser and its time
 * budget does not run; bound once, it is the session's runner (its budget starts then); a second binding is refused.
 */
class RunnerParkingTest {

    @Test
    void a_parked_runner_serves_nobody_and_keeps_no_time_until_bound_once() throws Exception {
        InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
        platform.registerTenant(Fixtures.ACME);
        var admin = Fixtures.admin(Fixtures.ACME);
        var position = platform.services.positions().create(admin, "SRE", "Ops",
                java.util.List.of(new ai.interviewinsights.domain.model.position.Competency("Ops", "Runs", 1)));
        var candidate = platform.services.candidates().create(admin, "Ada", "ada@example.com");
        SessionId session = platform.services.startInterview().start(
                new ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview(admin, candidate.id(),
                        position.id(), null)).session().id();

        SessionId madeUp = new SessionId(UUID.randomUUID());
        TenantId nobody = new TenantId(UUID.randomUUID());
        CountDownLatch exited = new CountDownLatch(1);
        RunnerServer server = new RunnerServer(madeUp, nobody, Secret.of("bWFkZS11cA"),
                observer -> new InterviewRunner(madeUp,
                        new ai.interviewinsights.domain.runner.InProcessControlPlane(
                                Fixtures.runnerPrincipal(nobody, madeUp), platform.services),
                        platform.openai, Clock.systemUTC(), SdpLimits.defaults(), observer),
                Clock.systemUTC(), exited::countDown).idleLimit(Duration.ofSeconds(1)).parked()
                .start("127.0.0.1", 0);
        try {
            String base = "127.0.0.1:" + server.port();
            CompletableFuture<String> refused = new CompletableFuture<>();
            HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create("ws://" + base + "/ws?session="
                    + madeUp + "&tenant=" + nobody + "&token=anything"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            refused.complete(data.toString());
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            assertTrue(refused.get(10, TimeUnit.SECONDS).contains("auth.wrong_session"), "a parked runner serves "
                    + "no browser, whatever its URL says");
            assertFalse(exited.await(3, TimeUnit.SECONDS), "no time budget runs while parked (idle limit 1 s)");
            HttpResponse<String> parkedHealth = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + base + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, parkedHealth.statusCode());
            assertTrue(parkedHealth.body().contains("\"standby\""), parkedHealth.body());
            assertFalse(parkedHealth.body().contains(madeUp.toString()), "the made-up session is nobody's business: "
                    + parkedHealth.body());

            server.bindTo(session, Fixtures.ACME, Secret.of("a2V5"), observer -> new InterviewRunner(session,
                    new ai.interviewinsights.domain.runner.InProcessControlPlane(
                            Fixtures.runnerPrincipal(Fixtures.ACME, session), platform.services),
                    platform.openai, Clock.systemUTC(), SdpLimits.defaults(), observer));
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + base + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(health.body().contains(session.toString()), health.body());
            assertThrows(IllegalStateException.class, () -> server.bindTo(madeUp, nobody, Secret.of("eA"),
                    observer -> null), "bound once only");
            assertTrue(exited.await(30, TimeUnit.SECONDS), "bound, its idle limit runs: it gives up and exits");
            assertEquals(ai.interviewinsights.domain.model.session.SessionStatus.CANCELLED,
                    platform.services.sessions().get(admin, session).status(), "and ends the bound session");
        } finally {
            server.stop();
        }
    }
}
