package ai.interviewinsights.adapters.openai.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.openai.webrtc.BrowserPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ten calls in a row through real webrtc-java peers (a peer playing the browser, the endpoint's peer answering): every
 * call connects, carries events and audio, is hung up, and leaves nothing behind - no live call, and the process's
 * resident memory after call 10 within 20% of what it was after call 2 (native objects leak as RSS, not heap).
 */
class LocalRealtimeSoakTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static LocalRealtime local;

    @BeforeAll
    static void start() {
        local = LocalRealtime.start(LocalRealtime.Options.defaults().withVoice(LocalRealtimeCallTest.TEXT_MODE));
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    @Test
    void ten_calls_in_a_row_connect_hang_up_and_leak_no_native_memory() throws Exception {
        long afterSecond = 0;
        long afterTenth = 0;
        short[] tone = new short[48_000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 48_000.0));
        }
        for (int call = 1; call <= 10; call++) {
            try (BrowserPeer browser = new BrowserPeer()) {
                browser.call(local.baseUrl(), local.apiKey());
                assertTrue(browser.connected.await(WAIT.toSeconds(), TimeUnit.SECONDS), "call " + call);
                assertTrue(browser.open.await(WAIT.toSeconds(), TimeUnit.SECONDS), "call " + call);
                browser.awaitType("session.created", WAIT);
                browser.speak(tone);
                browser.send("{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\","
                        + "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Hello\"}]}}");
                browser.await(e -> "conversation.item.added".equals(e.path("type").asText())
                        && "user".equals(e.path("item").path("role").asText()), WAIT);
                try (Sideband sideband = Sideband.open(local.baseUrl(), "call_id=" + browser.callId,
                        local.apiKey())) {
                    // The endpoint joins a sideband to its call in its own onConnect, which can run just after the
                    // client saw the upgrade: an event answered on the sideband shows it has joined (a hang-up before
                    // that finds it not yet joined, and the sideband is refused with 1008).
                    sideband.send("{\"type\":\"no.such.event\"}");
                    sideband.awaitType("error", WAIT);
                    assertEquals(200, hangUp(browser.callId), "call " + call + " hung up");
                    assertEquals(1000, sideband.closed.get(10, TimeUnit.SECONDS), "the sideband learns the end");
                }
            }
            assertEquals(0, local.liveCalls(), "call " + call + " is gone");
            System.gc();
            Thread.sleep(300);
            if (call == 2) {
                afterSecond = rssKb();
            }
            if (call == 10) {
                afterTenth = rssKb();
            }
        }
        System.out.println("RSS after call 2: " + afterSecond + " kB, after call 10: " + afterTenth + " kB");
        assertTrue(afterTenth <= afterSecond * 1.2, "RSS grew from " + afterSecond + " kB after call 2 to "
                + afterTenth + " kB after call 10");
    }

    static int hangUp(String callId) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        local.baseUrl().resolve("/v1/realtime/calls/" + callId + "/hangup"))
                .header("Authorization", "Bearer " + local.apiKey())
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }
}
