package ai.interviewinsights.adapters.openai.proxy;

import ai.interviewinsights.adapters.openai.OpenAiAdapters;
import ai.interviewinsights.adapters.openai.OpenAiConfig;
import ai.interviewinsights.adapters.openai.webrtc.BrowserPeer;
import ai.interviewinsights.adapters.openai.webrtc.WebRtcEngine;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/**
 * Measures the proxy bridge on this machine, and prints the figures (never asserts them; not part of the suite: the
 * name does not end in Test). One command:
 *
 * <pre>
 * mvn -B -ntp -q test -pl interview-adapters-openai -am -Dtest=ProxyBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>N calls at once (1, 4, 8), each a webrtc-java peer in the browser's role speaking without pause into its bridge
 * while OpenAI's side (a GA-speaking WebSocket fake) sends a one-second reply every two seconds in bursts, as OpenAI
 * does: the uplink busy all the time, the downlink half the time (a real interview is half duplex: a worst case). Figures: added latency inside the
 * bridge per direction (p50/p99), process CPU and RSS per call. The simulated browsers live in the same JVM and cost
 * about what the bridge's own WebRTC side costs (each side encodes and decodes Opus once per direction), so the CPU per
 * call printed is an upper bound for the bridge; the hybrid figures are the same JVM with the adapter's HTTP client
 * and no WebRTC factory (what a hybrid runner holds: a relay and a sideband WebSocket).
 */
class ProxyBenchmark {

    static final int SECONDS = 15;

    @Test
    void measure() throws Exception {
        long rssJvm = rssKb();
        double idleCpu = cpuShare(5);
        WebRtcEngine.shared();
        Thread.sleep(1000);
        long rssFactory = rssKb();
        double idleFactoryCpu = cpuShare(5);
        System.out.printf(Locale.ROOT, "%nbaseline: JVM + adapter (a hybrid runner's footprint) RSS %d MiB, CPU %.1f%%"
                + " of a core; + webrtc-java factory RSS %d MiB, CPU %.1f%%%n", rssJvm / 1024, idleCpu * 100,
                rssFactory / 1024, idleFactoryCpu * 100);
        for (int calls : new int[] {1, 4, 8}) {
            run(calls, rssFactory);
        }
    }

    private void run(int n, long rssBefore) throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            List<FakeOpenAi> fakes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                FakeOpenAi fake = new FakeOpenAi(false);
                fakes.add(fake);
                server.enqueue(fake.upgrade());
            }
            server.start();
            try (OpenAiAdapters openai = OpenAiAdapters.create(OpenAiConfig.defaults(Secret.of(ProxyBridgeTest.KEY))
                    .withBaseUrl(server.url("/").uri()), Clock.systemUTC());
                 ProxyRealtimeGateway gateway = openai.proxy(ProxyOptions.defaults(refused -> { }))) {
                List<BrowserPeer> browsers = new ArrayList<>();
                List<RealtimeCallId> ids = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    BrowserPeer browser = new BrowserPeer(true, true, false);
                    RelayedCall call = gateway.relay(SdpOffer.validate(browser.offer()), ProxyBridgeTest.SESSION);
                    browser.answer(call.answer().text());
                    if (!browser.connected.await(15, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("call " + i + " did not connect");
                    }
                    browsers.add(browser);
                    ids.add(call.callId());
                }
                // Every bridge playing: each call's set-up stops the audio module's recording once (150 ms apart).
                Thread.sleep(1000 + 400L * n);
                short[] speech = Tones.sine(1000, 48_000, SECONDS * 1000, 8000);
                List<Thread> speakers = new ArrayList<>();
                for (BrowserPeer browser : browsers) {
                    Thread t = new Thread(() -> {
                        try {
                            browser.speak(speech);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, "speaker");
                    t.setDaemon(true);
                    t.start();
                    speakers.add(t);
                }
                // OpenAI's side: a one-second reply every two seconds, sent as fast as OpenAI sends (in bursts).
                short[] reply = Tones.sine(440, 24_000, 1000, 8000);
                for (FakeOpenAi fake : fakes) {
                    Thread t = new Thread(() -> {
                        try {
                            for (int r = 0; r < SECONDS / 2; r++) {
                                fake.say("item_reply_" + r, reply, 100, true);
                                Thread.sleep(2000);
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, "replies");
                    t.setDaemon(true);
                    t.start();
                    speakers.add(t);
                }
                Thread.sleep(3000); // warm up
                double cpu = cpuShare(SECONDS - 5);
                long rss = rssKb();
                for (Thread t : speakers) {
                    t.join();
                }
                BridgeStats stats = gateway.stats();
                long gaps = gateway.bridges().stream().mapToLong(MediaBridge::playbackGaps).sum();
                System.out.printf(Locale.ROOT, "%d call(s): process CPU %.1f%% of a core (%.1f%% per call, bridge +"
                                + " simulated browser), RSS %d MiB (+%d MiB per call); up (frame -> append) p50 %d us"
                                + " p99 %d us [%d]; down (delta -> queued) p50 %d us p99 %d us [%d]; first audio"
                                + " of a reply (delta -> track: jitter buffer + tick) p50 %.1f ms p99 %.1f ms [%d]; playback gaps %d"
                                + "%n", n, cpu * 100, cpu * 100 / n, rss / 1024, (rss - rssBefore) / 1024 / n,
                        stats.upMicros(50), stats.upMicros(99), stats.upSamples(), stats.downMicros(50),
                        stats.downMicros(99), stats.downSamples(), stats.firstAudioMicros(50) / 1000.0,
                        stats.firstAudioMicros(99) / 1000.0, stats.firstAudioSamples(), gaps);
                ids.forEach(gateway::hangUp);
                browsers.forEach(BrowserPeer::close);
            }
        }
        Thread.sleep(1000);
    }

    /** The process's CPU time over {@code seconds}, as a share of one core. */
    private static double cpuShare(int seconds) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        return (double) (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - t0);
    }

    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
