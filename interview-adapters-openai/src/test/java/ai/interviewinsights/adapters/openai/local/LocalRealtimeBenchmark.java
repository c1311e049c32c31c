package ai.interviewinsights.adapters.openai.local;

import ai.interviewinsights.adapters.openai.local.speech.OfflineVoice;
import ai.interviewinsights.adapters.openai.webrtc.BrowserPeer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Measures the local realtime endpoint on this machine; figures are printed, never asserted, and the class is not part
 * of the suite (its name does not end in Test). One command:
 *
 * <pre>
 * mvn -B -ntp test -pl interview-adapters-openai -am -Dtest=LocalRealtimeBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * ({@code -Dbenchmark.skipTurns=true} leaves out the 20 spoken turns, about 5 minutes; {@code -Dbenchmark.maxCalls=N}
 * caps the concurrency ramp, 30 by default: the machine is shared.)
 *
 * The "browser" is a webrtc-java peer in the same JVM, so CPU figures include the browser side's encoding and
 * decoding too: an upper bound for the endpoint alone.
 */
class LocalRealtimeBenchmark {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final int MAX_CONCURRENT = Integer.getInteger("benchmark.maxCalls", 30);

    @Test
    void measure() throws Exception {
        OfflineVoice voice = OfflineVoice.detect();
        try (LocalRealtime local = LocalRealtime.start(LocalRealtime.Options.defaults().withVoice(voice))) {
            signalling(local);
            if (voice.speaks() && voice.hears() && !Boolean.getBoolean("benchmark.skipTurns")) {
                firstAudio(local);
            } else {
                System.out.println("first audio after the candidate stops: skipped, " + voice.description());
            }
            cpuPerCall(local);
        }
        // The ramp runs in text mode: with the engines, every detected turn starts a recogniser process, and a ramp
        // of talking calls measures PocketSphinx, not the endpoint (60 calls drove this shared machine to load 140).
        try (LocalRealtime text = LocalRealtime.start(LocalRealtime.Options.defaults()
                .withVoice(LocalRealtimeCallTest.TEXT_MODE))) {
            capacity(text);
        }
    }

    /** offer -> answer (the POST) and offer -> data channel open, 20 calls. */
    private void signalling(LocalRealtime local) throws Exception {
        List<Double> answer = new ArrayList<>();
        List<Double> open = new ArrayList<>();
        for (int i = 0; i < 22; i++) {
            try (BrowserPeer browser = new BrowserPeer()) {
                String offer = browser.offer();
                long start = System.nanoTime();
                HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create(local.baseUrl() + "/v1/realtime/calls"))
                        .header("Authorization", "Bearer " + local.apiKey())
                        .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(offer))
                        .build(), HttpResponse.BodyHandlers.ofString());
                long answered = System.nanoTime();
                browser.answer(reply.body());
                browser.open.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                long opened = System.nanoTime();
                if (i >= 2) { // the first two warm up the JIT and the factory
                    answer.add((answered - start) / 1e6);
                    open.add((opened - start) / 1e6);
                }
                String location = reply.headers().firstValue("Location").orElseThrow();
                LocalRealtimeSoakTest.local = local;
                LocalRealtimeSoakTest.hangUp(location.substring(location.lastIndexOf('/') + 1));
            }
        }
        System.out.printf("offer -> answer (POST /v1/realtime/calls, full ICE gathering): p50 %.0f ms, p95 %.0f ms (n=%d)%n",
                pct(answer, 50), pct(answer, 95), answer.size());
        System.out.printf("offer -> oai-events open: p50 %.0f ms, p95 %.0f ms (n=%d)%n", pct(open, 50), pct(open, 95),
                open.size());
    }

    /** From the end of the candidate's speech to the first loud sample of the interviewer's reply, 20 turns. */
    private void firstAudio(LocalRealtime local) throws Exception {
        short[] answer = LocalRealtimeVoiceTest.speech("I wrote the tests for the billing service");
        List<Double> latency = new ArrayList<>();
        while (latency.size() < 20) {
            try (BrowserPeer browser = new BrowserPeer()) {
                browser.call(local.baseUrl(), local.apiKey());
                browser.open.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                browser.awaitType("response.done", WAIT); // the greeting, played out
                for (int turn = 0; turn < 2 && latency.size() < 20; turn++) {
                    browser.speak(answer);
                    browser.loudAfter = System.nanoTime();
                    browser.firstLoudAfterArm = 0;
                    browser.speak(new short[48_000 * 2]);
                    browser.awaitType("response.done", WAIT);
                    if (browser.firstLoudAfterArm != 0) {
                        latency.add((browser.firstLoudAfterArm - browser.loudAfter) / 1e6);
                    }
                    browser.loudAfter = 0;
                }
                LocalRealtimeSoakTest.local = local;
                LocalRealtimeSoakTest.hangUp(browser.callId);
            }
        }
        System.out.printf("interviewer's first audio after the candidate stops speaking (incl. 500 ms VAD silence,"
                + " recognition, synthesis, jitter buffer): p50 %.0f ms, p95 %.0f ms (n=%d)%n",
                pct(latency, 50), pct(latency, 95), latency.size());
    }

    /** CPU with five calls carrying audio both ways (turn detection on, the greeting spoken). */
    private void cpuPerCall(LocalRealtime local) throws Exception {
        ramp(local, 5, true);
    }

    /** How many calls carrying audio connect before one takes more than 5 s or fails (text mode). */
    private void capacity(LocalRealtime local) throws Exception {
        ramp(local, MAX_CONCURRENT, false);
    }

    private void ramp(LocalRealtime local, int max, boolean cpuOnly) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double idle = cpuOver(os, Duration.ofSeconds(5));
        List<BrowserPeer> live = new ArrayList<>();
        List<Thread> talkers = new ArrayList<>();
        short[] tone = new short[48_000 * 600];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (short) ((i / 4800) % 2 == 0 ? 6000 * Math.sin(2 * Math.PI * 220 * i / 48_000.0) : 0);
        }
        int held = 0;
        String stop = "limit " + max;
        try {
            for (int n = 1; n <= max; n++) {
                BrowserPeer browser = new BrowserPeer();
                live.add(browser);
                long start = System.nanoTime();
                try {
                    browser.call(local.baseUrl(), local.apiKey());
                } catch (Exception | AssertionError e) {
                    stop = "call " + n + " refused: " + e.getMessage();
                    break;
                }
                if (!browser.open.await(10, TimeUnit.SECONDS)) {
                    stop = "call " + n + " did not open its data channel within 10 s";
                    break;
                }
                double ms = (System.nanoTime() - start) / 1e6;
                Thread talker = new Thread(() -> {
                    try {
                        browser.speak(tone);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "talker-" + n);
                talker.setDaemon(true);
                talker.start();
                talkers.add(talker);
                held = n;
                if (n == 5 && cpuOnly) {
                    double five = cpuOver(os, Duration.ofSeconds(10));
                    System.out.printf("CPU per live call (5 calls talking, both peers in this JVM): %.1f%% of one"
                            + " core each (idle %.1f%%, with 5 calls %.1f%% of one core)%n",
                            (five - idle) / 5 * 100, idle * 100, five * 100);
                }
                if (ms > 5_000) {
                    stop = "call " + n + " took " + Math.round(ms) + " ms to open";
                    break;
                }
            }
            if (cpuOnly) {
                return;
            }
            double loaded = cpuOver(os, Duration.ofSeconds(5));
            System.out.printf("concurrent calls held (text mode, audio both ways): %d (stopped by: %s); CPU with them all talking %.0f%% of one"
                    + " core (%d cores), heap %d MB%n", held, stop, loaded * 100,
                    Runtime.getRuntime().availableProcessors(),
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
            System.out.println("RSS with them: " + LocalRealtimeSoakTest.rssKb() / 1024 + " MB");
        } finally {
            talkers.forEach(Thread::interrupt);
            Collections.reverse(live);
            live.forEach(BrowserPeer::close);
        }
    }

    /** Process CPU over a window, in cores (1.0 = one core busy). */
    private static double cpuOver(com.sun.management.OperatingSystemMXBean os, Duration window)
            throws InterruptedException {
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        Thread.sleep(window.toMillis());
        return (os.getProcessCpuTime() - cpu) / (double) (System.nanoTime() - wall);
    }

    private static double pct(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
