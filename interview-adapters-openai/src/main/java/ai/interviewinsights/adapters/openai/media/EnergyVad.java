package ai.interviewinsights.adapters.openai.media;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Detects turns in a stream of audio by its energy, with the knobs of OpenAI's {@code server_vad}:
 * <ul>
 *   <li><b>threshold</b> (0 to 1, default 0.5): a higher threshold needs louder audio. It maps linearly onto a
 *       level in dBFS, from {@value #FLOOR_DBFS} dBFS at 0 to {@value #CEILING_DBFS} dBFS at 1 (0.5 is -40 dBFS, well
 *       below speech at a normal level and well above a quiet room);</li>
 *   <li><b>prefix padding</b> (default 300 ms): the turn is said to start this long before the first loud window,
 *       so the audio sent to the recogniser keeps the soft start of the first word;</li>
 *   <li><b>silence duration</b> (default 500 ms): a pause this long ends the turn.</li>
 * </ul>
 *
 * <p>The audio is measured in 10 ms windows (whatever the length of the frames handed in). Speech starts after
 * {@value #ONSET_WINDOWS} loud windows in a row, so a click does not open a turn. Times are audio time, counted from
 * the first sample accepted, like OpenAI's: {@code audio_start_ms} includes the prefix padding (never before 0) and
 * {@code audio_end_ms} is where the silence that ended the turn reached its duration, so it includes that silence
 * ("the end of audio sent to the model", as OpenAI's reference puts it).
 *
 * <p>Not thread-safe: one instance per stream.
 */
public final class EnergyVad {

    /** The level the threshold 0 stands for. */
    public static final double FLOOR_DBFS = -70;
    /** The level the threshold 1 stands for. */
    public static final double CEILING_DBFS = -10;
    /** Loud windows in a row that open a turn. */
    public static final int ONSET_WINDOWS = 3;

    private final int sampleRate;
    private final int windowSamples;
    private final double thresholdRms;
    private final int prefixPaddingMs;
    private final int silenceDurationMs;

    private final ArrayDeque<VadEvent> pending = new ArrayDeque<>();
    private long samplesSeen;       // complete windows only
    private double windowEnergy;    // sum of squares of the current window so far
    private int windowFill;
    private boolean speaking;
    private int loudRun;
    private long loudRunStartSample;
    private long lastLoudEndSample;

    /**
     * @param sampleRate        rate of the frames that will be accepted (8 000 to 384 000 Hz)
     * @param threshold         0 to 1, OpenAI's default 0.5
     * @param prefixPaddingMs   0 or more, OpenAI's default 300
     * @param silenceDurationMs more than 0, OpenAI's default 500
     */
    public EnergyVad(int sampleRate, double threshold, int prefixPaddingMs, int silenceDurationMs) {
        if (sampleRate < 8_000 || sampleRate > Pcm16.MAX_RATE) {
            throw new IllegalArgumentException("the VAD needs 8000 to " + Pcm16.MAX_RATE + " Hz, not " + sampleRate);
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be 0 to 1, not " + threshold);
        }
        if (prefixPaddingMs < 0 || prefixPaddingMs > 10_000) {
            throw new IllegalArgumentException("prefix padding must be 0 to 10000 ms, not " + prefixPaddingMs);
        }
        if (silenceDurationMs < 1 || silenceDurationMs > 60_000) {
            throw new IllegalArgumentException("silence duration must be 1 to 60000 ms, not " + silenceDurationMs);
        }
        this.sampleRate = sampleRate;
        this.windowSamples = sampleRate / 100;
        double dbfs = FLOOR_DBFS + threshold * (CEILING_DBFS - FLOOR_DBFS);
        this.thresholdRms = Short.MAX_VALUE * Math.pow(10, dbfs / 20);
        this.prefixPaddingMs = prefixPaddingMs;
        this.silenceDurationMs = silenceDurationMs;
    }

    /** OpenAI's defaults: threshold 0.5, prefix padding 300 ms, silence 500 ms. */
    public static EnergyVad withDefaults(int sampleRate) {
        return new EnergyVad(sampleRate, 0.5, 300, 500);
    }

    /**
     * Feeds the next frame (any length) and returns the next turn boundary, if one was found. A frame shorter than
     * 30 ms (WebRTC's are 10 ms) holds at most one boundary; if a longer frame holds several, the later ones are
     * returned by the following calls, in order (or all at once by {@link #acceptAll}).
     */
    public Optional<VadEvent> accept(short[] frame) {
        measure(frame);
        return Optional.ofNullable(pending.poll());
    }

    /** Feeds the next frame (any length) and returns every turn boundary found so far and not yet returned. */
    public List<VadEvent> acceptAll(short[] frame) {
        measure(frame);
        List<VadEvent> events = new ArrayList<>(pending);
        pending.clear();
        return events;
    }

    /** Whether a turn is open (speech started and not yet stopped). */
    public boolean speaking() {
        return speaking;
    }

    /** Milliseconds of audio measured so far (whole 10 ms windows). */
    public long audioMillis() {
        return millis(samplesSeen);
    }

    public int sampleRate() {
        return sampleRate;
    }

    private void measure(short[] frame) {
        for (short sample : frame) {
            windowEnergy += (double) sample * sample;
            if (++windowFill == windowSamples) {
                window(Math.sqrt(windowEnergy / windowSamples));
                windowEnergy = 0;
                windowFill = 0;
            }
        }
    }

    private void window(double rms) {
        long start = samplesSeen;
        samplesSeen += windowSamples;
        boolean loud = rms >= thresholdRms;
        if (loud) {
            if (loudRun++ == 0) {
                loudRunStartSample = start;
            }
            lastLoudEndSample = samplesSeen;
            if (!speaking && loudRun >= ONSET_WINDOWS) {
                speaking = true;
                pending.add(new VadEvent.SpeechStarted(Math.max(0, millis(loudRunStartSample) - prefixPaddingMs)));
            }
            return;
        }
        loudRun = 0;
        if (speaking && millis(samplesSeen - lastLoudEndSample) >= silenceDurationMs) {
            speaking = false;
            pending.add(new VadEvent.SpeechStopped(millis(samplesSeen)));
        }
    }

    private long millis(long samples) {
        return samples * 1000 / sampleRate;
    }
}
