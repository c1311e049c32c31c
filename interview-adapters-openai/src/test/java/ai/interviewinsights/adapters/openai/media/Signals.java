package ai.interviewinsights.adapters.openai.media;

import java.util.Random;

/** Test signals and their measurement: tones, noise, speech-like bursts, an FFT peak and levels. */
public final class Signals {

    private Signals() {
    }

    /** A sine tone of the given frequency and peak amplitude (0 to 32767). */
    public static short[] tone(double hz, int rate, int samples, double amplitude) {
        short[] out = new short[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return out;
    }

    /** White noise of the given RMS level in dBFS, reproducible from the seed. */
    public static short[] noise(double dbfs, int samples, long seed) {
        Random random = new Random(seed);
        double rms = Short.MAX_VALUE * Math.pow(10, dbfs / 20);
        short[] out = new short[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = clip(random.nextGaussian() * rms);
        }
        return out;
    }

    /**
     * Something shaped like a spoken phrase at a given level: voiced "syllables" (a 140 Hz harmonic series with a
     * soft attack and decay) of 180 ms separated by 60 ms dips, for the given duration.
     */
    public static short[] speechLike(int rate, int millis, double dbfs) {
        int samples = (int) ((long) rate * millis / 1000);
        double[] raw = new double[samples];
        int syllable = rate * 180 / 1000;
        int gap = rate * 60 / 1000;
        for (int i = 0; i < samples; i++) {
            int inCycle = i % (syllable + gap);
            if (inCycle >= syllable) {
                continue;
            }
            double envelope = Math.sin(Math.PI * inCycle / syllable);
            double value = 0;
            for (int harmonic = 1; harmonic <= 8; harmonic++) {
                value += Math.sin(2 * Math.PI * 140 * harmonic * i / rate) / harmonic;
            }
            raw[i] = envelope * value;
        }
        double energy = 0;
        for (double v : raw) {
            energy += v * v;
        }
        double scale = Short.MAX_VALUE * Math.pow(10, dbfs / 20) / Math.sqrt(energy / samples);
        short[] out = new short[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = clip(raw[i] * scale);
        }
        return out;
    }

    public static short[] concat(short[]... parts) {
        int length = 0;
        for (short[] part : parts) {
            length += part.length;
        }
        short[] out = new short[length];
        int at = 0;
        for (short[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    public static short[] silence(int rate, int millis) {
        return new short[(int) ((long) rate * millis / 1000)];
    }

    public static double rms(short[] samples, int from, int to) {
        double energy = 0;
        for (int i = from; i < to; i++) {
            energy += (double) samples[i] * samples[i];
        }
        return Math.sqrt(energy / Math.max(1, to - from));
    }

    public static double dbfs(double rms) {
        return 20 * Math.log10(Math.max(rms, 1e-9) / Short.MAX_VALUE);
    }

    /** The frequency of the strongest bin of a Hann-windowed FFT over the first power-of-two samples. */
    public static double peakFrequency(short[] samples, int rate) {
        int n = Integer.highestOneBit(samples.length);
        double[] re = new double[n];
        double[] im = new double[n];
        for (int i = 0; i < n; i++) {
            re[i] = samples[i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1)));
        }
        fft(re, im);
        int best = 1;
        for (int k = 1; k < n / 2; k++) {
            if (re[k] * re[k] + im[k] * im[k] > re[best] * re[best] + im[best] * im[best]) {
                best = k;
            }
        }
        return (double) best * rate / n;
    }

    /** The amplitude of one frequency in the signal (a Hann-windowed single-bin DFT), in sample units. */
    public static double amplitudeAt(short[] samples, int rate, double hz) {
        double re = 0;
        double im = 0;
        double weights = 0;
        for (int i = 0; i < samples.length; i++) {
            double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (samples.length - 1));
            re += samples[i] * w * Math.cos(2 * Math.PI * hz * i / rate);
            im -= samples[i] * w * Math.sin(2 * Math.PI * hz * i / rate);
            weights += w;
        }
        return 2 * Math.hypot(re, im) / weights;
    }

    /** Frequency resolution of {@link #peakFrequency} for that many samples. */
    public static double binWidth(int samples, int rate) {
        return (double) rate / Integer.highestOneBit(samples);
    }

    private static void fft(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double angle = -2 * Math.PI / len;
            for (int i = 0; i < n; i += len) {
                for (int k = 0; k < len / 2; k++) {
                    double wr = Math.cos(angle * k);
                    double wi = Math.sin(angle * k);
                    int a = i + k;
                    int b = a + len / 2;
                    double xr = re[b] * wr - im[b] * wi;
                    double xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }

    private static short clip(double value) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(value)));
    }
}
