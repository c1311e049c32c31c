package ai.interviewinsights.app.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.openai.local.LocalRealtime;
import ai.interviewinsights.app.e2e.E2eApp;
import ai.interviewinsights.app.e2e.Eventually;
import ai.interviewinsights.domain.model.audit.AuditEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 12 / ADR 0023 end to end: a proxied interview in headless Chromium (the real room page), a real runner process
 * bridging it to the app's local realtime endpoint over the WebSocket transport; the endpoint cuts the runner's socket
 * in the middle of the interviewer's greeting. The page says it is reconnecting and then that the interview goes on,
 * the interviewer is heard again, the interview ends normally with every turn stored exactly once and in order, and
 * the drop is in the session's audit trail with its stable code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyReconnectBrowserTest {

    private static final Page.WaitForFunctionOptions LONG = new Page.WaitForFunctionOptions().setTimeout(60_000)
            .setPollingInterval(250);

    private E2eApp e2e;
    private Browsers browsers;
    private Browser browser;
    private Path wav;

    @BeforeAll
    void start() throws Exception {
        e2e = E2eApp.start(Map.of("OPENAI_API_KEY", "", "OPENAI_BASE_URL", ""));
        // A quiet microphone: the candidate says nothing, so every turn is the interviewer's.
        wav = Browsers.silence(90);
        browsers = new Browsers(wav);
        browser = browsers.browser;
    }

    @AfterAll
    void stop() throws Exception {
        if (browsers != null) {
            browsers.close();
        }
        if (e2e != null) {
            e2e.close();
        }
        if (wav != null) {
            Files.deleteIfExists(wav);
        }
    }

    @Test
    void openais_socket_dropped_mid_greeting_is_reconnected_and_the_interview_completes() throws Exception {
        LocalRealtime endpoint = e2e.app().localRealtime().orElseThrow();
        assertTrue(endpoint.offlineVoice(), "scripts/test installs festival and pocketsphinx: "
                + endpoint.description());
        String position = e2e.post("/api/positions", e2e.adminToken, Map.of("title", "Backend Engineer",
                "competencies", List.of(Map.of("name", "System design")))).body().path("id").asText();
        String candidate = e2e.post("/api/candidates", e2e.adminToken, Map.of("name", "Ada Lovelace")).body()
                .path("id").asText();
        JsonNode invite = e2e.post("/api/invites", e2e.adminToken, Map.of("candidate_id", candidate,
                "position_id", position, "settings", Map.of("architecture", "proxy"))).body();

        Page page = browser.newPage();
        List<String> errors = Browsers.watchErrors(page);
        page.addInitScript("(() => { const Native = window.RTCPeerConnection; window.__pcs = [];"
                + " window.RTCPeerConnection = function (...args) { const pc = new Native(...args);"
                + " window.__pcs.push(pc); return pc; };"
                + " window.RTCPeerConnection.prototype = Native.prototype; })()");
        page.navigate(invite.path("url").asText());
        page.waitForFunction("() => window.interview && window.interview.phase === 'lobby'", null, LONG);
        page.check("#consent");
        page.click("#mic-check");
        page.waitForFunction("() => window.interview.micChecked === true", null, LONG);
        page.click("#start");
        page.waitForFunction("() => window.interview.phase === 'call' && window.interview.answerApplied === true",
                null, LONG);
        page.waitForFunction("() => window.__pcs[0].connectionState === 'connected'", null, LONG);

        // The greeting is being heard: cut the runner's socket to the endpoint under it.
        Browsers.awaitEnergyAbove(page, 0.005);
        long droppedAt = System.nanoTime();
        assertEquals(1, endpoint.dropWebSockets(), "the runner's one socket to the endpoint is cut");
        page.waitForFunction("() => (window.interview.upstreamLog || []).includes('reconnected')", null, LONG);
        // A figure, not a pass/fail criterion: the default policy waits 0.5 s before its first attempt.
        System.out.printf("proxy reconnect: %d ms from the cut to the page hearing 'reconnected'%n",
                (System.nanoTime() - droppedAt) / 1_000_000);
        assertEquals(List.of("reconnecting", "reconnected"), page.evaluate("() => window.interview.upstreamLog"));
        assertEquals("Reconnected. Your interview continues.", page.textContent("#call-status"));
        double energyAtReconnect = Browsers.energy(page);

        // The interview goes on: the interviewer is heard again and its words are captioned again.
        Browsers.awaitEnergyAbove(page, energyAtReconnect + 0.005);
        page.waitForFunction("() => [...document.querySelectorAll('#captions p.ai')]"
                + ".filter(p => p.dataset.final === 'true').length >= 2", null, LONG);
        String sessionId = (String) page.evaluate("() => window.interview.session");
        page.click("#end");
        page.click("#confirm-yes");
        page.waitForFunction("() => window.interview.status === 'ended' && window.interview.phase === 'done'",
                null, LONG);

        JsonNode report = null;
        for (int i = 0; i < 300; i++) {
            report = e2e.get("/api/sessions/" + sessionId + "/report", e2e.adminToken).body();
            if ("completed".equals(report.path("session").path("status").asText())) {
                break;
            }
            Thread.sleep(200);
        }
        assertEquals("completed", report.path("session").path("status").asText(), report.toString());
        List<String> speakers = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (JsonNode entry : report.path("transcript")) {
            speakers.add(entry.path("speaker").asText());
            String key = entry.path("item_id").asText(entry.path("key").asText());
            assertTrue(keys.add(key), "each turn is stored once: " + report.path("transcript"));
            assertFalse(key.startsWith("seed_"), "a re-created turn is not stored again: " + key);
        }
        assertTrue(speakers.size() >= 2 && speakers.stream().allMatch("ai"::equals),
                "the greeting and the interviewer going on, nothing else: " + report.path("transcript"));
        assertTrue(report.path("transcript").get(0).path("text").asText().contains("Ada"),
                "the greeting before the drop comes first: " + report.path("transcript").get(0));

        // The runner reports the incident to the control plane over HTTP: the shared patience, not 10 s.
        AuditEvent incident = Eventually.until("the drop is in the session's audit trail", () -> e2e.app()
                .auditEvents(e2e.app().bootstrap().orElseThrow().tenant(), 500).stream()
                .filter(a -> a.action().equals("realtime.upstream_incident")
                        && a.subject().equals("session:" + sessionId)).findFirst().orElse(null),
                java.util.Objects::nonNull);
        assertEquals("proxy.upstream_reconnected", incident.details().get("code"));
        assertEquals("1", incident.details().get("attempts"));
        assertTrue(incident.actor().startsWith("runner:"), incident.actor());
        assertEquals(List.of(), page.evaluate("() => window.interview.errors"));
        assertEquals(List.of(), errors);
        page.close();
    }
}
