package ai.interviewinsights.adapters.openai.proxy;

import java.util.Arrays;

/**
 * Latency samples of the bridges of one gateway, for the benchmark: how long a frame spends inside the bridge in each
 * direction. Up: the browser's 10 ms frame from the track's sink to {@code input_audio_buffer.append} handed to the
 * socket (resampling and encoding). Down: a {@code response.output_audio.delta} from the socket to queued audio
 * (decoding and resampling); and the first chunk of each reply from the socket to the track (that plus the jitter
 * buffer and the 10 ms tick).
 */
public final class BridgeStats {

    private final Series up = new Series();
    private final Series down = new Series();
    private final Series firstAudio = new Series();

    void up(long nanos) {
        up.add(nanos);
    }

    void down(long nanos) {
        down.add(nanos);
    }

    void firstAudio(long nanos) {
        firstAudio.add(nanos);
    }

    /** Percentile (0..100) in microseconds of the uplink samples; -1 without samples. */
    public long upMicros(double percentile) {
        return up.percentile(percentile);
    }

    public long downMicros(double percentile) {
        return down.percentile(percentile);
    }

    public long firstAudioMicros(double percentile) {
        return firstAudio.percentile(percentile);
    }

    public int upSamples() {
        return up.count();
    }

    public int downSamples() {
        return down.count();
    }

    public int firstAudioSamples() {
        return firstAudio.count();
    }

    /** A bounded reservoir: the most recent 65 536 samples. */
    private static final class Series {
        private final long[] values = new long[65_536];
        private long total;

        synchronized void add(long nanos) {
            values[(int) (total++ % values.length)] = nanos;
        }

        synchronized int count() {
            return (int) Math.min(total, values.length);
        }

        synchronized long percentile(double p) {
            int n = count();
            if (n == 0) {
                return -1;
            }
            long[] copy = Arrays.copyOf(values, n);
            Arrays.sort(copy);
            int index = (int) Math.min(n - 1, Math.max(0, Math.ceil(p / 100.0 * n) - 1));
            return copy[index] / 1_000;
        }
    }
}
