package ai.interviewinsights.adapters.openai.media;

/**
 * Converts a stream of 16-bit mono audio from one sample rate to another, chunk by chunk, with a windowed-sinc
 * low-pass filter, so that chunk boundaries leave no gaps or clicks and the output length stays exact over any
 * number of chunks. Not thread-safe: one instance per stream.
 */
public final class Resampler {

    /** A streaming converter from {@code fromRate} to {@code toRate} samples per second. */
    public Resampler(int fromRate, int toRate) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Converts the next chunk of the stream; returns the output samples that are ready (possibly none). */
    public short[] process(short[] chunk) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Converts a whole signal at once; its length is {@code round(all.length * toRate / fromRate)}. */
    public static short[] convert(short[] all, int fromRate, int toRate) {
        throw new UnsupportedOperationException("not yet");
    }
}
