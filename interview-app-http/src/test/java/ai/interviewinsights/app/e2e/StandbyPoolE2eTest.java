package ai.interviewinsights.app.e2e;

import static ai.interviewinsights.app.e2e.FakeOpenAi.added;
import static ai.interviewinsights.app.e2e.FakeOpenAi.aiDone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.controlplane.runnerapi.RunnerApi;
import ai.interviewinsights.app.local.StandbyRunnerPool;
import ai.interviewinsights.domain.model.interview.Architecture;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The warm pool through the whole app (ADR 0020): with {@code RUNNER_POOL_SIZE_HYBRID=1}, a session's start claims
 * the ready standby (its process becomes the session's runner), the runner then gets its assignment from the
 * control plane and holds the interview exactly as a cold one does, the claim shows in {@code /metrics}, and the
 * pool refills with a fresh process. A start with the standby already taken is a cold start (a miss).
 */
class StandbyPoolE2eTest {

    @Test
    void a_session_start_claims_the_standby_which_then_holds_the_interview() throws Exception {
        try (E2eApp e2e = new E2eApp(Map.of("RUNNER_POOL_SIZE_HYBRID", "1"))) {
            StandbyRunnerPool pool = e2e.app.standbyRunners().orElseThrow();
            Eventually.until("a standby is ready", Duration.ofSeconds(90),
                    () -> pool.standbyPids(Architecture.HYBRID).size() == 1);
            long standby = pool.standbyPids(Architecture.HYBRID).get(0);
            String position = e2e.newPosition();

            E2eApp.Reply started = e2e.startSession(position, "Ada");
            assertEquals("ready", started.body().path("status").asText());
            String session = started.body().path("session_id").asText();
            JsonNode view = e2e.get("/api/sessions/" + session, e2e.adminToken).body();
            assertEquals(Long.toString(standby), view.path("runner").path("id").asText(),
                    "the standby's process is the session's runner");

            // The bound runner learns its assignment at the binding, as a cold runner does during its start, before
            // any browser has connected: the candidate's first offer does not ask the control plane (ADR 0020).
            Eventually.until("the claimed runner fetched its assignment", Duration.ofSeconds(30),
                    () -> assignmentFetches(e2e) == 1);

            e2e.openai.scriptNextCall(FakeOpenAi.list(added("item_a1", null, "assistant"),
                    aiDone("item_a1", "Tell me about an outage.")));
            try (BrowserClient browser = new BrowserClient(started.body().path("websocket_url").asText())) {
                browser.offerAwaitDurableAndEnd(List.of("item_a1"));
            }
            assertEquals(1, assignmentFetches(e2e), "the offer was served from the assignment fetched at the binding");
            Eventually.until("the runner exits after its interview", Duration.ofSeconds(30),
                    () -> !ProcessHandle.of(standby).map(ProcessHandle::isAlive).orElse(false));
            Eventually.until("the pool refilled", Duration.ofSeconds(90),
                    () -> pool.standbyPids(Architecture.HYBRID).size() == 1);
            assertFalse(pool.standbyPids(Architecture.HYBRID).contains(standby));

            // With the pool sized 0, the next start is cold: one miss, counted once (by the pool, not again by the
            // provisioner behind it).
            pool.reconfigure(ai.interviewinsights.domain.model.runner.StandbyPoolSizes.off());
            e2e.startSession(position, "Grace");

            String metrics = e2e.metrics();
            List<String> lines = metrics.lines().filter(l -> l.contains("runner_pool")).toList();
            assertEquals(1.0, e2e.runnerClaims("hybrid", "hit"), lines.toString());
            assertEquals(1.0, e2e.runnerClaims("hybrid", "miss"), lines.toString());
            assertTrue(metrics.contains("interview_runner_pool_claim_seconds"), "claim latency is published");
        }
    }

    /** How many times runners have fetched their assignment from this control plane ({@code /metrics}). */
    private static long assignmentFetches(E2eApp e2e) throws Exception {
        return e2e.metrics().lines().filter(l -> l.startsWith("http_server_requests_seconds_count{")
                        && l.contains("route=\"" + RunnerApi.ASSIGNMENT + "\""))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /**
     * With no pool, every start is a cold one, and it is counted and timed as the pool's miss: an operator who runs
     * without standbys still sees how long a candidate waits for a runner.
     */
    @Test
    void with_the_pool_off_each_session_start_is_counted_and_timed_as_a_cold_start() throws Exception {
        try (E2eApp e2e = new E2eApp(Map.of())) {
            assertTrue(e2e.app.standbyRunners().isEmpty(), "no pool by default");
            e2e.startSession(e2e.newPosition(), "Ada");

            String metrics = e2e.metrics();
            List<String> pool = metrics.lines().filter(l -> l.startsWith("interview_runner_pool_claim")).toList();
            assertTrue(metrics.contains(
                    "interview_runner_pool_claims_total{architecture=\"hybrid\",outcome=\"miss\"} 1.0"),
                    pool.toString());
            assertFalse(metrics.contains("outcome=\"hit\""), pool.toString());
            double seconds = E2eApp.value(metrics,
                    "interview_runner_pool_claim_seconds_sum{architecture=\"hybrid\",outcome=\"miss\"}");
            assertTrue(seconds > 0.01 && seconds < 90, "a JVM's start, timed: " + seconds + " " + pool);
        }
    }
}
