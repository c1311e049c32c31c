package ai.interviewinsights.adapters.openai.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The exact checks of {@link BridgeOutput} pass on what a sound bridge makes and fail on a real gap: fed through the
 * real {@link Playout}, a reply that arrives whole is played whole, one that arrives with a hole runs dry and is caught,
 * and a frame dropped or altered anywhere is caught. (Without WebRTC: the same checks run on the live bridge in
 * {@link ProxyBridgeTest} and {@link CallRecordingTest}.)
 */
class BridgeOutputTest {

    private static final short[] TONE = Tones.sine(1000, 24_000, 1000, 8000);
    private static final short[] ITEM = BridgeOutput.itemAt48k(TONE, 2400);

    /**
     * Plays the item through a real playout (no prebuffer), its second half arriving one tick before the first runs
     * out, or {@code holeTicks} ticks after it ran out (that many 10 ms of silence inside the reply).
     */
    private static short[] play(int holeTicks) {
        Playout playout = new Playout(480, 0);
        BridgeOutput output = new BridgeOutput();
        for (int i = 0; i < 5; i++) {
            output.played(playout.next(0).samples()); // silence before the reply
        }
        int half = ITEM.length / 2 / 480 * 480;
        playout.enqueue("item_a", Arrays.copyOfRange(ITEM, 0, half), half / 2, 0);
        for (int i = 0; i < (holeTicks == 0 ? half / 480 - 1 : half / 480 + holeTicks); i++) {
            output.played(playout.next(0).samples());
        }
        playout.enqueue("item_a", Arrays.copyOfRange(ITEM, half, ITEM.length), (ITEM.length - half) / 2, 0);
        playout.complete("item_a");
        for (int i = 0; i < (ITEM.length - half) / 480 + 10; i++) {
            output.played(playout.next(0).samples());
        }
        assertEquals(holeTicks > 0 ? 1 : 0, playout.gaps());
        return output.played();
    }

    @Test
    void a_reply_played_whole_passes_and_one_with_a_hole_fails() {
        BridgeOutput.assertPlayedWhole(play(0), ITEM, 48_000);
        AssertionError hole = assertThrows(AssertionError.class,
                () -> BridgeOutput.assertPlayedWhole(play(1), ITEM, 48_000));
        assertEquals(true, hole.getMessage().contains("departs from the item at 500 ms"), hole.getMessage());
    }

    @Test
    void a_dropped_or_repeated_frame_fails_the_whole_check() {
        short[] played = play(0);
        int at = BridgeOutput.firstNonZero(played) + 480 * 30;
        short[] dropped = new short[played.length - 480];
        System.arraycopy(played, 0, dropped, 0, at);
        System.arraycopy(played, at + 480, dropped, at, played.length - at - 480);
        assertThrows(AssertionError.class, () -> BridgeOutput.assertPlayedWhole(dropped, ITEM, 48_000));
        short[] repeated = new short[played.length + 480];
        System.arraycopy(played, 0, repeated, 0, at + 480);
        System.arraycopy(played, at, repeated, at + 480, played.length - at);
        assertThrows(AssertionError.class, () -> BridgeOutput.assertPlayedWhole(repeated, ITEM, 48_000));
    }

    @Test
    void silence_may_be_inserted_but_nothing_lost_or_altered() {
        short[] holed = play(20);
        BridgeOutput.assertSameWithSilenceInserted(holed, ITEM, 0, "a playout that waited");
        int at = BridgeOutput.firstNonZero(holed) + 480 * 10;
        short[] dropped = new short[holed.length - 480];
        System.arraycopy(holed, 0, dropped, 0, at);
        System.arraycopy(holed, at + 480, dropped, at, holed.length - at - 480);
        assertThrows(AssertionError.class,
                () -> BridgeOutput.assertSameWithSilenceInserted(dropped, ITEM, 0, "a frame dropped"));
        short[] altered = holed.clone();
        altered[at + 7] += 1;
        assertThrows(AssertionError.class,
                () -> BridgeOutput.assertSameWithSilenceInserted(altered, ITEM, 0, "a sample altered"));
        assertThrows(AssertionError.class,
                () -> BridgeOutput.assertSameWithSilenceInserted(Arrays.copyOf(holed, holed.length / 2), ITEM, 480,
                        "the end missing"));
    }
}
