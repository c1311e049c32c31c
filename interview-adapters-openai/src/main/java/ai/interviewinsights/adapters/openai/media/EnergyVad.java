package ai.interviewinsights.adapters.openai.media;

import java.util.Optional;

/**
 * Detects turns in a stream of audio by its energy, with the knobs of OpenAI's {@code server_vad}: a threshold
 * (0 to 1, higher needs louder speech), prefix padding (audio kept before the detected start) and a silence
 * duration (how long a pause ends a turn). Times are audio time, counted from the first sample accepted.
 */
public final class EnergyVad {

    /**
     * @param sampleRate        rate of the frames that will be accepted
     * @param threshold         0 to 1, OpenAI's default 0.5
     * @param prefixPaddingMs   OpenAI's default 300
     * @param silenceDurationMs OpenAI's default 500
     */
    public EnergyVad(int sampleRate, double threshold, int prefixPaddingMs, int silenceDurationMs) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Feeds the next frame (any length); returns a turn boundary when one is found in it. */
    public Optional<VadEvent> accept(short[] frame) {
        throw new UnsupportedOperationException("not yet");
    }
}
