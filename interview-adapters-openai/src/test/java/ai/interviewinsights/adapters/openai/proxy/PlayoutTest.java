package ai.interviewinsights.adapters.openai.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PlayoutTest {

    private static short[] loud(int samples) {
        short[] s = new short[samples];
        Arrays.fill(s, (short) 5000);
        return s;
    }

    @Test
    void holds_the_prebuffer_then_plays_every_sample_once_in_order() {
        Playout playout = new Playout(480, 60);
        short[] audio = new short[4800];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (short) (i + 1);
        }
        playout.enqueue("item_a", Arrays.copyOfRange(audio, 0, 960), 480, 0);
        // 20 ms queued, 60 ms prebuffer, the item not complete: silence while it waits (at most 6 ticks).
        assertFalse(playout.next(0).voiced());
        playout.enqueue("item_a", Arrays.copyOfRange(audio, 960, 4800), 1920, 0);
        playout.complete("item_a");
        short[] out = new short[4800];
        int at = 0;
        while (at < 4800) {
            Playout.Frame frame = playout.next(0);
            assertTrue(frame.voiced());
            System.arraycopy(frame.samples(), 0, out, at, 480);
            at += 480;
        }
        assertEquals(Arrays.toString(audio), Arrays.toString(out));
        assertFalse(playout.next(0).voiced(), "silence once the item is played out");
        assertEquals(0, playout.gaps());
    }

    @Test
    void a_short_reply_is_not_held_back_by_the_prebuffer_once_complete() {
        Playout playout = new Playout(480, 200);
        playout.enqueue("item_a", loud(480), 240, 0);
        playout.complete("item_a");
        assertTrue(playout.next(0).voiced());
    }

    @Test
    void barge_in_cuts_at_the_audio_played_and_drops_the_rest_and_late_audio() {
        Playout playout = new Playout(480, 0);
        playout.enqueue("item_a", loud(48_000), 24_000, 0); // one second received
        for (int i = 0; i < 37; i++) {
            playout.next(0); // 370 ms played
        }
        Playout.Cut cut = playout.interrupt().orElseThrow();
        assertEquals("item_a", cut.itemId());
        assertEquals(370, cut.audioEndMs());
        assertEquals(0, playout.queuedSamples());
        assertFalse(playout.next(0).voiced(), "playback stops at once");
        assertFalse(playout.enqueue("item_a", loud(4800), 2400, 0), "late audio of the cut item is dropped");
        assertTrue(playout.interrupt().isEmpty(), "a second speech start truncates nothing");
    }

    @Test
    void the_cut_never_goes_beyond_the_audio_received() {
        // The 48 kHz side may run a sample or two ahead of the 24 kHz count (resampler rounding): the received
        // audio bounds the truncation.
        Playout playout = new Playout(480, 0);
        playout.enqueue("item_a", loud(4800), 2300, 0); // 100 ms queued at 48 kHz, only ~95.8 ms received
        for (int i = 0; i < 10; i++) {
            playout.next(0);
        }
        assertEquals(95, playout.interrupt().orElseThrow().audioEndMs());
    }

    @Test
    void nothing_to_truncate_when_the_reply_was_heard_in_full_or_nothing_played() {
        Playout playout = new Playout(480, 0);
        assertTrue(playout.interrupt().isEmpty());
        playout.enqueue("item_a", loud(960), 480, 0);
        playout.complete("item_a");
        playout.next(0);
        playout.next(0);
        assertTrue(playout.interrupt().isEmpty(), "the whole item was heard");
    }

    @Test
    void a_reply_still_queued_when_interrupted_is_cut_at_zero() {
        Playout playout = new Playout(480, 100);
        playout.enqueue("item_a", loud(960), 480, 0);
        assertEquals(0, playout.interrupt().orElseThrow().audioEndMs());
    }

    @Test
    void running_dry_inside_an_item_is_a_gap_and_buffers_again() {
        Playout playout = new Playout(480, 0);
        playout.enqueue("item_a", loud(480), 240, 0);
        assertTrue(playout.next(0).voiced());
        assertFalse(playout.next(0).voiced());
        assertEquals(1, playout.gaps());
    }

    @Test
    void reports_how_long_an_items_first_chunk_waited() {
        Playout playout = new Playout(480, 0);
        playout.enqueue("item_a", loud(960), 480, 1_000);
        assertEquals(4_000, playout.next(5_000).itemStartWaitNanos());
        assertEquals(-1, playout.next(6_000).itemStartWaitNanos());
    }
}
