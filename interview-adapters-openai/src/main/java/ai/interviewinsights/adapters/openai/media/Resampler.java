package ai.interviewinsights.adapters.openai.media;

import java.util.Arrays;

/**
 * Converts a stream of 16-bit mono audio from one sample rate to another, chunk by chunk, with a Kaiser-windowed
 * sinc filter (band-limited interpolation): the filter's cut-off sits below the lower of the two Nyquist
 * frequencies, so downsampling does not alias and upsampling does not image, and a tone keeps its frequency.
 *
 * <p>Each output sample is computed from the input samples around its position in the whole stream (the stream's
 * history is kept between chunks), so chunk boundaries leave no gaps or clicks, and the samples streamed out are
 * exactly those {@link #convert} computes for the whole signal at once. Because an output sample needs a few input
 * samples after it, {@link #process} holds back {@link #latencyMillis() about a millisecond}; {@link #flush} returns
 * what is held back at the end of a stream. Over a whole stream the output has exactly
 * {@code round(in * toRate / fromRate)} samples, however it was chunked.
 *
 * <p>Not thread-safe: one instance per stream.
 */
public final class Resampler {

    /** Zero crossings of the sinc on each side, at the lower rate: more means a steeper filter and more work. */
    private static final int ZERO_CROSSINGS = 16;
    /** Passband edge as a fraction of the lower Nyquist frequency (the rest is the transition band). */
    private static final double ROLLOFF = 0.92;
    /** Kaiser window shape: about 80 dB of stop-band attenuation. */
    private static final double KAISER_BETA = 8.0;
    /** Above this many coefficients the filter is not tabulated per phase but interpolated from a finer grid. */
    private static final int MAX_TABLE = 1 << 20;
    /** Sub-sample positions of that grid: linear interpolation between them is accurate far below 16-bit noise. */
    private static final int GRID = 1024;

    private final int fromRate;
    private final int toRate;
    private final long up;      // L: the ratio toRate/fromRate in lowest terms is up/down
    private final long down;    // M
    private final int halfWidth; // K: input samples used on each side of an output position
    private final double cutoff; // in units of the input Nyquist frequency
    private final double[][] table; // per phase, 2K coefficients; null when there are too many phases
    private final double[][] grid;  // otherwise: GRID + 1 sub-sample positions, interpolated between

    private double[] history = new double[0]; // input samples from absolute index historyStart on
    private int historyLength;
    private long historyStart;
    private long received;   // input samples seen
    private long produced;   // output samples returned
    private boolean flushed;

    /** A streaming converter from {@code fromRate} to {@code toRate} samples per second (1 Hz to 1 MHz). */
    public Resampler(int fromRate, int toRate) {
        if (fromRate < 1 || toRate < 1 || fromRate > 1_000_000 || toRate > 1_000_000) {
            throw new IllegalArgumentException("sample rates must be 1 to 1000000 Hz, not " + fromRate + " -> " + toRate);
        }
        this.fromRate = fromRate;
        this.toRate = toRate;
        long gcd = gcd(fromRate, toRate);
        this.up = toRate / gcd;
        this.down = fromRate / gcd;
        this.cutoff = ROLLOFF * Math.min(1.0, (double) toRate / fromRate);
        this.halfWidth = (int) Math.ceil(ZERO_CROSSINGS / Math.min(1.0, (double) toRate / fromRate));
        this.table = up * 2L * halfWidth <= MAX_TABLE ? tabulate() : null;
        this.grid = table == null ? grid() : null;
    }

    /** Converts a whole signal at once; the result has {@code round(all.length * toRate / fromRate)} samples. */
    public static short[] convert(short[] all, int fromRate, int toRate) {
        Resampler resampler = new Resampler(fromRate, toRate);
        short[] body = resampler.process(all);
        short[] tail = resampler.flush();
        short[] out = Arrays.copyOf(body, body.length + tail.length);
        System.arraycopy(tail, 0, out, body.length, tail.length);
        return out;
    }

    /**
     * Converts the next chunk of the stream (any length, including zero) and returns the output samples that are
     * ready: all of them but the last {@link #latencyMillis()} or so, which need input from the next chunk.
     */
    public short[] process(short[] chunk) {
        if (flushed) {
            throw new IllegalStateException("the stream was flushed; use a new Resampler for a new stream");
        }
        if (up == down) {
            received += chunk.length;
            produced += chunk.length;
            return chunk.clone();
        }
        append(chunk);
        received += chunk.length;
        // An output sample is ready when the last input sample its filter reads has arrived.
        long ready = Math.max(0, Math.floorDiv((received - halfWidth) * up + down - 1, down));
        return emit(ready);
    }

    /**
     * Ends the stream: returns the held-back samples, computed as if silence followed. After it the total output is
     * exactly {@code round(total input * toRate / fromRate)} samples.
     */
    public short[] flush() {
        if (flushed) {
            return new short[0];
        }
        flushed = true;
        long total = (received * up * 2 + down) / (down * 2);
        if (up == down) {
            return new short[0];
        }
        return emit(Math.max(total, produced));
    }

    /** How long {@link #process} holds output back, in milliseconds of audio (0 when the rates are equal). */
    public double latencyMillis() {
        return up == down ? 0 : halfWidth * 1000.0 / fromRate;
    }

    public int fromRate() {
        return fromRate;
    }

    public int toRate() {
        return toRate;
    }

    private short[] emit(long until) {
        long total = (received * up * 2 + down) / (down * 2);
        long end = flushed ? Math.min(until, total) : until;
        int count = (int) Math.max(0, end - produced);
        short[] out = new short[count];
        for (int i = 0; i < count; i++) {
            out[i] = outputSample(produced + i);
        }
        produced += count;
        discardBefore(Math.floorDiv(produced * down, up) - halfWidth + 1);
        return out;
    }

    private short outputSample(long n) {
        long position = n * down;
        long base = Math.floorDiv(position, up);
        int phase = (int) (position - base * up);
        long first = base - halfWidth + 1;
        double sum = 0;
        if (table != null) {
            double[] taps = table[phase];
            for (int k = 0; k < taps.length; k++) {
                sum += taps[k] * input(first + k);
            }
        } else {
            // between two grid points: both have unit sum, so their blend has too
            double point = (double) phase / up * GRID;
            int below = Math.min(GRID - 1, (int) point);
            double weight = point - below;
            double[] low = grid[below];
            double[] high = grid[below + 1];
            for (int k = 0; k < low.length; k++) {
                sum += (low[k] + weight * (high[k] - low[k])) * input(first + k);
            }
        }
        long rounded = Math.round(sum);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, rounded));
    }

    private double input(long index) {
        long offset = index - historyStart;
        return index < 0 || offset < 0 || offset >= historyLength ? 0 : history[(int) offset];
    }

    private void append(short[] chunk) {
        if (historyLength + chunk.length > history.length) {
            history = Arrays.copyOf(history, Math.max(historyLength + chunk.length, history.length * 2));
        }
        for (short sample : chunk) {
            history[historyLength++] = sample;
        }
    }

    private void discardBefore(long index) {
        int drop = (int) Math.min(historyLength, Math.max(0, index - historyStart));
        if (drop > 0) {
            System.arraycopy(history, drop, history, 0, historyLength - drop);
            historyLength -= drop;
            historyStart += drop;
        }
    }

    private double[][] tabulate() {
        double[][] phases = new double[(int) up][];
        for (int phase = 0; phase < up; phase++) {
            phases[phase] = coefficients((double) phase / up);
        }
        return phases;
    }

    private double[][] grid() {
        double[][] points = new double[GRID + 1][];
        for (int point = 0; point <= GRID; point++) {
            points[point] = coefficients((double) point / GRID);
        }
        return points;
    }

    /**
     * The filter taps for an output sample that falls {@code fraction} (0 to 1) of an input sample after input
     * sample {@code base}: taps for inputs {@code base-K+1 .. base+K}, normalised to unit sum so silence stays
     * silence and a constant stays constant.
     */
    private double[] coefficients(double fraction) {
        double[] taps = new double[2 * halfWidth];
        double sum = 0;
        for (int k = 0; k < taps.length; k++) {
            double t = (k - halfWidth + 1) - fraction; // distance from the output position, in input samples
            double value = cutoff * sinc(cutoff * t) * kaiser(t / halfWidth);
            taps[k] = value;
            sum += value;
        }
        for (int k = 0; k < taps.length; k++) {
            taps[k] /= sum;
        }
        return taps;
    }

    private static double sinc(double x) {
        if (Math.abs(x) < 1e-12) {
            return 1;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    private static double kaiser(double x) {
        if (Math.abs(x) >= 1) {
            return 0;
        }
        return besselI0(KAISER_BETA * Math.sqrt(1 - x * x)) / besselI0(KAISER_BETA);
    }

    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double half = x / 2;
        for (int k = 1; k < 50; k++) {
            term *= (half / k) * (half / k);
            sum += term;
            if (term < sum * 1e-16) {
                break;
            }
        }
        return sum;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
