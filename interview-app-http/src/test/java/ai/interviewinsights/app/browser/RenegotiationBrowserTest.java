package ai.interviewinsights.app.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.e2e.E2eApp;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.WebSocketRoute;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The call breaks mid-interview and the room renegotiates it: a real call to the local realtime endpoint runs over a
 * {@link UdpRelay}; the test cuts the relay (the browser's network drops the call; the socket to the runner stays up);
 * Chromium's peer connection fails for real; the room says so honestly, negotiates a new call through the runner,
 * and the new call carries the interviewer's audio again.
 */
class RenegotiationBrowserTest {

    private static final Pattern CANDIDATE = Pattern.compile(
            "a=candidate:(\\S+) (\\d+) udp (\\d+) (\\d+\\.\\d+\\.\\d+\\.\\d+) (\\d+) typ host.*", Pattern.CASE_INSENSITIVE);
    private static final Pattern ICE_PWD = Pattern.compile("a=ice-pwd:(\\S+)");

    private final ObjectMapper json = new ObjectMapper();
    private final List<UdpRelay> relays = new CopyOnWriteArrayList<>();

    /** Every candidate line of each media section replaced by one host candidate at the given address. */
    static String rewriteCandidates(String sdp, InetSocketAddress to, List<InetSocketAddress> found) {
        StringBuilder out = new StringBuilder();
        boolean inserted = false;
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("m=")) {
                inserted = false;
            }
            if (line.startsWith("a=candidate:")) {
                Matcher m = CANDIDATE.matcher(line);
                if (m.matches() && found != null) {
                    found.add(new InetSocketAddress(m.group(4), Integer.parseInt(m.group(5))));
                }
                if (!inserted) {
                    out.append("a=candidate:1 1 udp 2122260223 ").append(to.getAddress().getHostAddress())
                            .append(' ').append(to.getPort()).append(" typ host generation 0\r\n");
                    inserted = true;
                }
                continue;
            }
            out.append(line).append("\r\n");
        }
        return out.toString();
    }

    private void route(WebSocketRoute page) {
        WebSocketRoute runner = page.connectToServer();
        page.onMessage(frame -> runner.send(offerThroughRelay(frame.text())));
        runner.onMessage(frame -> page.send(answerThroughRelay(frame.text())));
    }

    /** The browser's offer: a fresh relay for each call, and the endpoint told the relay is the browser. */
    private String offerThroughRelay(String text) {
        try {
            ObjectNode message = (ObjectNode) json.readTree(text);
            if (!"sdp_offer".equals(message.path("type").asText())) {
                return text;
            }
            String sdp = message.path("sdp").asText();
            Matcher pwd = ICE_PWD.matcher(sdp);
            List<InetSocketAddress> browser = new ArrayList<>();
            rewriteCandidates(sdp, new InetSocketAddress("127.0.0.1", 9), browser);
            InetAddress host = browser.isEmpty() ? InetAddress.getLoopbackAddress() : browser.get(0).getAddress();
            UdpRelay relay = new UdpRelay(host, pwd.find() ? pwd.group(1) : "");
            relays.add(relay);
            message.put("sdp", rewriteCandidates(sdp, relay.endpointFacing(), null));
            return message.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The endpoint's answer: the browser told the relay is the endpoint. */
    private String answerThroughRelay(String text) {
        try {
            ObjectNode message = (ObjectNode) json.readTree(text);
            if (!"sdp_answer".equals(message.path("type").asText()) || relays.isEmpty()) {
                return text;
            }
            UdpRelay relay = relays.get(relays.size() - 1);
            List<InetSocketAddress> endpoint = new ArrayList<>();
            String sdp = rewriteCandidates(message.path("sdp").asText(), relay.browserFacing(), endpoint);
            relay.endpointAt(endpoint.get(0));
            message.put("sdp", sdp);
            return message.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_call_that_fails_mid_interview_is_negotiated_again_and_carries_audio_again() throws Exception {
        try (LocalRealtimeProcess local = LocalRealtimeProcess.start(E2eApp.OPENAI_KEY);
             E2eApp e2e = E2eApp.start(Map.of("OPENAI_BASE_URL", local.baseUrl()));
             Browsers browsers = new Browsers()) {
            String position = e2e.post("/api/positions", e2e.adminToken, Map.of("title", "Line Engineer",
                    "competencies", List.of(Map.of("name", "Safety")))).body().path("id").asText();
            String candidate = e2e.post("/api/candidates", e2e.adminToken, Map.of("name", "Hedy Lamarr")).body()
                    .path("id").asText();
            String url = e2e.post("/api/invites", e2e.adminToken, Map.of("candidate_id", candidate,
                    "position_id", position)).body().path("url").asText();
            try (BrowserContext context = browsers.context(url.substring(0, url.indexOf("/interview/")))) {
                Page page = context.newPage();
                page.routeWebSocket(u -> u.contains("/ws?"), this::route);
                page.navigate(url);
                page.waitForFunction("() => window.interview && window.interview.phase === 'lobby'");
                page.check("#consent");
                page.click("#mic-check");
                page.waitForFunction("() => window.interview.micChecked");
                page.click("#start");
                waitFor(page, local, "() => window.interview.connection === 'connected'", 60);
                waitFor(page, local, "async () => (await window.interview.received()).bytes > 0", 60);
                assertEquals(1, relays.size());
                assertTrue(relays.get(0).forwarded > 0, "the call ran over the relay");
                // Keep every status line and indicator text the candidate is shown from here on.
                page.evaluate("() => { window.shownStatus = []; const seen = () => window.shownStatus.push("
                        + "document.getElementById('call-status').textContent + ' | '"
                        + " + document.getElementById('connection').textContent);"
                        + " new MutationObserver(seen).observe(document.getElementById('call-status'),"
                        + "   {childList: true, characterData: true, subtree: true});"
                        + " new MutationObserver(seen).observe(document.getElementById('connection'),"
                        + "   {childList: true, characterData: true, subtree: true}); }");

                relays.get(0).cut();
                waitFor(page, local, "() => window.interview.renegotiations === 1", 120);
                waitFor(page, local, "() => window.interview.connection === 'connected'", 60);
                assertEquals(2, relays.size(), "a new offer went through the runner");
                // The new call carries media: its own transport receives (RTP, RTCP, data channel), and keeps receiving.
                waitFor(page, local, "async () => (await window.interview.received()).bytes > 0", 60);
                long before = ((Number) page.evaluate("async () => (await window.interview.received()).bytes"))
                        .longValue();
                waitFor(page, local, "async () => (await window.interview.received()).bytes > " + before, 60);
                assertTrue(relays.get(1).forwarded > 0, "over the new path");
                assertTrue(relays.get(0).answeredForBrowser > 0, "the endpoint kept its side until the new call");
                assertEquals("Connected", page.textContent("#connection"));

                @SuppressWarnings("unchecked")
                List<String> shown = (List<String>) page.evaluate("() => window.shownStatus");
                assertTrue(shown.stream().anyMatch(s -> s.contains("The call was interrupted. Reconnecting the call")),
                        "the candidate is told the call broke: " + shown);
                assertTrue(shown.stream().anyMatch(s -> s.contains("Call failed") || s.contains("Connection unstable")),
                        "the indicator followed the peer connection down: " + shown);
                assertTrue(shown.get(shown.size() - 1).contains("Connected"), shown.toString());
                assertEquals(Boolean.TRUE, page.evaluate("() => window.interview.phase === 'call'"
                        + " && !window.interview.ended"), "the interview went on");
                String session = (String) page.evaluate("() => window.interview.session");
                assertEquals("active", e2e.get("/api/sessions/" + session, e2e.adminToken).body().path("status")
                        .asText());
                page.click("#end");
                page.click("#confirm-yes");
                page.waitForFunction("() => window.interview.phase === 'done'");
            } finally {
                relays.forEach(UdpRelay::close);
            }
        }
    }

    private static void waitFor(Page page, LocalRealtimeProcess local, String condition, int seconds)
            throws Exception {
        for (int i = 0; i < seconds * 2; i++) {
            if (Boolean.TRUE.equals(page.evaluate(condition))) {
                return;
            }
            if (local.crash() != null) {
                throw new AssertionError(local.crash());
            }
            page.waitForTimeout(500);
        }
        throw new AssertionError("timed out waiting for " + condition + "; status: "
                + page.textContent("#call-status") + " / " + page.textContent("#connection"));
    }
}
