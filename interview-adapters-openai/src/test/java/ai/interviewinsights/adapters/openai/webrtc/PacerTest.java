package ai.interviewinsights.adapters.openai.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PacerTest {

    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        ticks.shutdownNow();
    }

    @Test
    void after_a_stall_of_the_tickers_thread_each_caught_up_frame_is_asked_for_at_its_own_scheduled_time()
            throws Exception {
        List<Long> asked = new ArrayList<>();
        List<Long> ranAt = new ArrayList<>();
        List<short[]> pushed = new ArrayList<>();
        CountDownLatch enough = new CountDownLatch(1);
        CountDownLatch allPushed = new CountDownLatch(60);
        short[] frame = new short[WebRtcEngine.FRAME_SAMPLES];
        Pacer.Pacing pacing = Pacer.start(ticks, () -> true, f -> {
            pushed.add(f);
            allPushed.countDown();
        }, due -> {
            synchronized (asked) {
                asked.add(due);
                ranAt.add(System.nanoTime());
                if (asked.size() == 5) {
                    ticks.execute(() -> sleep(300)); // the ticker's thread stalls for 300 ms (a GC, a starved core)
                }
                if (asked.size() == 60) {
                    enough.countDown();
                }
            }
            return frame;
        }, () -> { });
        assertTrue(enough.await(10, TimeUnit.SECONDS), "60 frames were asked for");
        assertTrue(allPushed.await(10, TimeUnit.SECONDS), "every frame asked for was pushed");
        pacing.stop();
        synchronized (asked) {
            long stalledTicks = 0;
            for (int i = 1; i < 60; i++) {
                assertEquals(10_000_000L, asked.get(i) - asked.get(i - 1),
                        "frame " + i + " is due 10 ms after the one before it, stall or not");
                stalledTicks += ranAt.get(i) - ranAt.get(i - 1) < 2_000_000L ? 1 : 0;
            }
            // The stall really happened: missed ticks ran back to back (where "now" would have stamped them alike).
            assertTrue(stalledTicks >= 10, "ticks caught up back to back after the stall: " + stalledTicks);
        }
    }

    @Test
    void a_tick_skipped_while_a_connection_settles_keeps_the_schedule_and_the_frame() throws Exception {
        List<Long> asked = new ArrayList<>();
        CountDownLatch enough = new CountDownLatch(1);
        int[] calls = {0};
        Pacer.Pacing pacing = Pacer.start(ticks, () -> ++calls[0] % 2 == 0, f -> { }, due -> {
            // The ticker's thread adds while the test reads (stop does not wait for a tick already running): one lock.
            synchronized (asked) {
                asked.add(due);
                if (asked.size() == 10) {
                    enough.countDown();
                }
            }
            return new short[WebRtcEngine.FRAME_SAMPLES];
        }, () -> { });
        assertTrue(enough.await(10, TimeUnit.SECONDS));
        pacing.stop();
        synchronized (asked) {
            for (int i = 1; i < 10; i++) {
                assertEquals(20_000_000L, asked.get(i) - asked.get(i - 1),
                        "every other tick skipped; the due times hold");
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
