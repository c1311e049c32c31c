package ai.interviewinsights.adapters.openai.proxy;

/** Test signals: sine tones and where a signal's energy peaks (Goertzel over a frequency grid). */
final class Tones {

    private Tones() {
    }

    static short[] sine(double hz, int rate, int millis, int amplitude) {
        short[] s = new short[rate / 1000 * millis];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    /** The frequency, on a 10 Hz grid from 100 Hz to 5 kHz, where the signal's energy is highest. */
    static double peakHz(short[] signal, int from, int length, int rate) {
        double best = 0;
        double bestPower = -1;
        for (int hz = 100; hz <= 5000; hz += 10) {
            double w = 2 * Math.PI * hz / rate;
            double coeff = 2 * Math.cos(w);
            double s1 = 0;
            double s2 = 0;
            for (int i = from; i < from + length; i++) {
                double s0 = signal[i] + coeff * s1 - s2;
                s2 = s1;
                s1 = s0;
            }
            double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
            if (power > bestPower) {
                bestPower = power;
                best = hz;
            }
        }
        return best;
    }

    static double rms(short[] signal, int from, int length) {
        double sum = 0;
        for (int i = from; i < from + length; i++) {
            sum += (double) signal[i] * signal[i];
        }
        return Math.sqrt(sum / Math.max(1, length));
    }
}
