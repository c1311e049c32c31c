package ai.interviewinsights.adapters.openai.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closing the engine's answering peer while its audio flows both ways, with the real native library: it returns
 * promptly, every time, leaves no thread behind, and never waits on a native call that does not return.
 *
 * <p>Once, under load, the suite hung: the old engine's control thread sat in the native {@code stopRecording} holding
 * the engine's lock, and a close waited for that lock forever. The second test makes {@code stopRecording} stall the
 * way it did (through the engine's test seam) and closes a live call meanwhile: with a lock held across the native
 * call the close would wait for the whole stall (12 s) and fail the bound (seen: 12.0 s); with the control thread and bounded waits
 * it returns after at most {@link AnsweringPeer#CLOSE_BOUND}, and its native close runs once the thread is free.
 * The bounds are generous sanity bounds (timing stays out of pass/fail otherwise).
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AnsweringPeerCloseTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    /** Far above a normal close (milliseconds) and {@link AnsweringPeer#CLOSE_BOUND}; far below the stall. */
    private static final long CLOSE_SANITY_MS = 10_000;
    /**
     * Longer than the sanity bound, shorter than a connection's settling deadline (its answer's timeout + 5 s): a
     * stall past that deadline lets frames be pushed while the module records, and WebRTC aborts the JVM.
     */
    private static final long STALL_MS = 12_000;

    private static ScheduledExecutorService ticks;

    @BeforeAll
    static void start() {
        ticks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "close-test-ticks");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stop() {
        ticks.shutdownNow();
    }

    @Test
    void closing_a_peer_while_its_audio_flows_returns_promptly_20_times_and_leaks_no_thread() throws Exception {
        // One call first: the engine's threads, WebRTC's native threads and the ticker exist from here on.
        try (Call warmUp = Call.connect()) {
            warmUp.awaitAudioBothWays();
        }
        Map<String, Integer> before = threadNames();
        for (int i = 1; i <= 20; i++) {
            Call call = Call.connect();
            try {
                call.awaitAudioBothWays();
                long started = System.nanoTime();
                call.peer.close();
                long tookMs = (System.nanoTime() - started) / 1_000_000;
                assertTrue(tookMs < CLOSE_SANITY_MS, "close " + i + " took " + tookMs + " ms");
                assertFalse(call.peer.isOpen());
                long frames = call.framesHeard.get();
                call.peer.close(); // idempotent: returns at once, nothing more is delivered
                Thread.sleep(50);
                assertEquals(frames, call.framesHeard.get(), "no audio reaches the listener after close " + i);
            } finally {
                call.close();
            }
        }
        Map<String, Integer> after = threadNames();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (total(after) > total(before) && System.nanoTime() < deadline) {
            Thread.sleep(200); // a thread on its way out
            after = threadNames();
        }
        assertTrue(total(after) <= total(before), "threads leaked: before " + before + ", after " + after);
    }

    @Test
    void a_native_stop_that_stalls_holds_no_close_hostage() throws Exception {
        WebRtcEngine engine = WebRtcEngine.shared();
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Call live = Call.connect()) {
            live.awaitAudioBothWays();
            Runnable original = engine.swapStopRecording(stop -> () -> {
                stalled.countDown();
                try {
                    release.await(STALL_MS, TimeUnit.MILLISECONDS); // the native hang, bounded for the test's sake
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stop.run();
            });
            Call joining = null;
            try {
                // A second call connects: the engine stops the recording again, and that stop stalls.
                joining = Call.connectWithoutWaiting();
                assertTrue(stalled.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the stop was reached");

                long started = System.nanoTime();
                live.peer.close();
                long tookMs = (System.nanoTime() - started) / 1_000_000;
                assertTrue(tookMs < CLOSE_SANITY_MS, "a close waited " + tookMs + " ms on a stalled native call");
                assertFalse(live.peer.isOpen());
            } finally {
                release.countDown();
                engine.restoreStopRecording(original);
                if (joining != null) {
                    joining.close();
                }
            }
            // The close that was put off ran once the control thread came free: the queue drains.
            assertEquals("drained", engine.onControlThread("a marker", WAIT, () -> "drained"));
        }
    }

    private static Map<String, Integer> threadNames() {
        Map<String, Integer> names = new TreeMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive()) {
                names.merge(thread.getName(), 1, Integer::sum);
            }
        }
        return names;
    }

    private static int total(Map<String, Integer> names) {
        return names.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** A browser and the engine's answering peer, connected, each sending a tone in real time. */
    private static final class Call implements AutoCloseable {
        final BrowserPeer browser = new BrowserPeer(true, true, false);
        final AtomicLong framesHeard = new AtomicLong();
        final AtomicLong loudFramesHeard = new AtomicLong();
        final CountDownLatch connected = new CountDownLatch(1);
        final AnsweringPeer peer = new AnsweringPeer(WebRtcEngine.shared(), new AnsweringPeer.Listener() {
            @Override
            public void connected() {
                connected.countDown();
            }

            @Override
            public void eventsOpen() {
            }

            @Override
            public void event(String text) {
            }

            @Override
            public void audio(short[] mono, int rate) {
                framesHeard.incrementAndGet();
                for (short sample : mono) {
                    if (Math.abs(sample) > 1000) {
                        loudFramesHeard.incrementAndGet();
                        return;
                    }
                }
            }

            @Override
            public void disconnected(boolean terminal, String why) {
            }
        });
        final List<Pacer.Pacing> pacing = new ArrayList<>();
        Thread speaker;

        static Call connect() throws Exception {
            Call call = connectWithoutWaiting();
            try {
                assertTrue(call.connected.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the peer connects");
                assertTrue(call.browser.connected.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the browser connects");
                call.startAudio();
                return call;
            } catch (Exception | AssertionError e) {
                call.close();
                throw e;
            }
        }

        static Call connectWithoutWaiting() throws Exception {
            Call call = new Call();
            try {
                AnsweringPeer.Answer answer = call.peer.answer(call.browser.offer(), Duration.ofSeconds(10), true);
                call.browser.answer(answer.sdp());
                return call;
            } catch (Exception | AssertionError e) {
                call.close();
                throw e;
            }
        }

        void startAudio() {
            short[] tone = tone(440, 480);
            pacing.add(Pacer.start(ticks, peer, now -> tone, () -> {
            }));
            short[] speech = tone(1000, 48_000 * 20);
            speaker = new Thread(() -> {
                try {
                    browser.speak(speech);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "close-test-speaker");
            speaker.setDaemon(true);
            speaker.start();
        }

        void awaitAudioBothWays() throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while ((loudFramesHeard.get() < 10 || browser.loudSamples.get() < 4800) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(loudFramesHeard.get() >= 10, "the browser's audio reaches the peer");
            assertTrue(browser.loudSamples.get() >= 4800, "the peer's audio reaches the browser");
        }

        @Override
        public void close() throws InterruptedException {
            pacing.forEach(Pacer.Pacing::stop);
            peer.close();
            browser.close();
            if (speaker != null) {
                speaker.join(5_000); // speak() stops once the browser is closed
            }
        }

        private static short[] tone(double hz, int samples) {
            short[] out = new short[samples];
            for (int i = 0; i < samples; i++) {
                out[i] = (short) (8000 * Math.sin(2 * Math.PI * hz * i / 48_000));
            }
            return out;
        }
    }
}
