package ai.interviewinsights.adapters.openai.proxy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.openai.media.Resampler;
import java.util.ArrayList;
import java.util.List;

/**
 * What a bridge itself made, taken at its {@link MediaBridge.Tap}, and the checks that hold it against its input
 * sample by sample.
 *
 * <p>Why not check the audio where it arrives: on a loaded machine a receiver's jitter buffer (the browser's for the
 * interviewer's voice, the bridge's own WebRTC receiver for the candidate's) stretches, conceals and fades to silence
 * when its thread is starved. That is the receiver's doing, not the bridge's, and it made "no gap" checks on received
 * audio fail once in a while under load (load average 13-20 on 2 cores). The bridge's own output has no such excuse:
 * it must be exact, so it is checked exactly here, and the received audio only against a generous bound
 * ({@link #assertMostlyLoud}).
 */
final class BridgeOutput implements MediaBridge.Tap {

    private final List<short[]> played = new ArrayList<>();
    private final List<short[]> bridged = new ArrayList<>();
    private int bridgedRate;

    @Override
    public synchronized void bridged(short[] mono, int rate) {
        bridged.add(mono.clone());
        bridgedRate = rate;
    }

    @Override
    public synchronized void played(short[] frame48k) {
        played.add(frame48k.clone());
    }

    /** Every frame the playout handed to the browser's track, in order, as one 48 kHz stream. */
    synchronized short[] played() {
        return concat(played);
    }

    /** The same frames as the recording holds them: each through one 48 -> 24 kHz resampler, as it records them. */
    synchronized short[] playedAt24k() {
        Resampler down = new Resampler(48_000, CallRecording.RATE);
        List<short[]> out = new ArrayList<>();
        for (short[] frame : played) {
            out.add(down.process(frame));
        }
        return concat(out);
    }

    /** What the bridge sent to OpenAI, recomputed from the frames it took from the track: the candidate at 24 kHz. */
    synchronized short[] bridgedAt24k() {
        return concat(upFrames());
    }

    /**
     * The echo of {@link FakeOpenAi#FakeOpenAi(boolean) an echoing OpenAI} as the bridge must queue it for playout: each
     * append sent back as one delta and resampled 24 -> 48 kHz by the item's resampler.
     */
    synchronized short[] echoAt48k() {
        Resampler toBrowser = new Resampler(24_000, 48_000);
        List<short[]> out = new ArrayList<>();
        for (short[] append : upFrames()) {
            out.add(toBrowser.process(append));
        }
        return concat(out);
    }

    private List<short[]> upFrames() {
        Resampler up = new Resampler(bridgedRate == 0 ? 48_000 : bridgedRate, 24_000);
        List<short[]> out = new ArrayList<>();
        for (short[] frame : bridged) {
            short[] samples = up.process(frame);
            if (samples.length > 0) {
                out.add(samples);
            }
        }
        return out;
    }

    /** An item's audio as the bridge must play it: OpenAI's deltas of {@code chunk} samples, 24 -> 48 kHz, flushed. */
    static short[] itemAt48k(short[] pcm24k, int chunk) {
        Resampler toBrowser = new Resampler(24_000, 48_000);
        List<short[]> out = new ArrayList<>();
        for (int from = 0; from < pcm24k.length; from += chunk) {
            out.add(toBrowser.process(java.util.Arrays.copyOfRange(pcm24k, from, Math.min(pcm24k.length,
                    from + chunk))));
        }
        out.add(toBrowser.flush());
        return concat(out);
    }

    /**
     * The bridge played {@code item} whole: every sample, once, in order, back to back (no silence inside it, nothing
     * dropped or repeated), and nothing else but silence. Sample-exact, so a single missing or inserted 10 ms frame
     * fails it.
     */
    static void assertPlayedWhole(short[] played, short[] item, int rate) {
        int firstPlayed = firstNonZero(played);
        int firstItem = firstNonZero(item);
        assertTrue(firstPlayed >= 0 && firstItem >= 0, "the bridge played some of the item");
        int offset = firstPlayed - firstItem;
        assertTrue(offset >= 0, "the item starts inside the played stream");
        assertTrue(played.length >= offset + item.length, "the whole item was played: " + (played.length - offset)
                * 1000L / rate + " of " + item.length * 1000L / rate + " ms");
        for (int i = 0; i < item.length; i++) {
            if (played[offset + i] != item[i]) {
                throw new AssertionError("the bridge's output departs from the item at " + i * 1000L / rate
                        + " ms into it (a gap, a dropped or a repeated frame): played " + played[offset + i]
                        + ", the item has " + item[i]);
            }
        }
        int after = firstNonZero(java.util.Arrays.copyOfRange(played, offset + item.length, played.length));
        assertTrue(after < 0, "only silence after the item, found sound " + after * 1000L / rate + " ms after it");
    }

    /**
     * {@code actual} is {@code expected} with silence inserted and nothing else: every sample of {@code expected}
     * in order, unchanged, none lost or repeated. Silence is allowed in between because the bridge legitimately
     * inserts it (the recording's timeline, the playout buffering when the echo comes late). A stream still running
     * may end at most {@code openEnd} samples apart at either end (frames in flight when the two were read).
     *
     * @return how many samples of {@code expected} were found
     */
    static int assertSameWithSilenceInserted(short[] actual, short[] expected, int openEnd, String what) {
        int j = 0;
        int i = 0;
        for (; i < actual.length && j < expected.length; i++) {
            if (actual[i] == expected[j]) {
                j++;
            } else if (actual[i] != 0) {
                throw new AssertionError(what + ": sample " + i + " is " + actual[i] + " where " + expected[j]
                        + " (sample " + j + " of what was sent) or inserted silence was due");
            }
        }
        assertTrue(expected.length - j <= openEnd, what + ": " + (expected.length - j) + " samples missing at the end"
                + " (of " + expected.length + ")");
        int extra = 0;
        for (; i < actual.length; i++) {
            extra += actual[i] != 0 ? 1 : 0;
        }
        assertTrue(extra <= openEnd, what + ": " + extra + " samples of sound beyond what was sent");
        return j;
    }

    /** Samples louder than 1000 among the first {@code upTo} of {@code audio}. */
    static int loudSamples(short[] audio, int upTo) {
        int loud = 0;
        for (int i = 0; i < upTo; i++) {
            loud += Math.abs(audio[i]) > 1000 ? 1 : 0;
        }
        return loud;
    }

    /**
     * The receiver's side, a generous bound only: between the first and the last loud 10 ms window at least
     * {@code share} of the windows are loud. A receiver's jitter buffer starved of CPU conceals and fades out for
     * a while (the receiver's doing); a stream that lost a large part of its audio still fails.
     */
    static void assertMostlyLoud(short[] audio, int rate, double share, String what) {
        int window = rate / 100;
        int first = -1;
        int last = -1;
        for (int from = 0; from + window <= audio.length; from += window) {
            if (Tones.rms(audio, from, window) > 1000) {
                first = first < 0 ? from : first;
                last = from;
            }
        }
        assertTrue(first >= 0, what + ": some audio");
        int windows = 0;
        int loud = 0;
        for (int from = first; from <= last; from += window) {
            windows++;
            loud += Tones.rms(audio, from, window) > 1000 ? 1 : 0;
        }
        assertTrue(loud >= share * windows, what + ": only " + loud + " of " + windows + " windows loud");
    }

    static int firstNonZero(short[] audio) {
        for (int i = 0; i < audio.length; i++) {
            if (audio[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    private static short[] concat(List<short[]> parts) {
        int n = 0;
        for (short[] part : parts) {
            n += part.length;
        }
        short[] out = new short[n];
        int at = 0;
        for (short[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
