package ai.interviewinsights.adapters.openai.media;

/**
 * A stretch of mono audio as signed 16-bit samples at a known rate: the one audio value the local realtime endpoint
 * passes between WebRTC (48 kHz), OpenAI's wire format (24 kHz), the recogniser (16 kHz) and the synthesiser (32 kHz).
 *
 * @param sampleRate samples per second, 1 000 to 384 000
 * @param samples    the samples, mono, signed 16-bit
 */
public record Pcm16(int sampleRate, short[] samples) {

    public Pcm16 {
        throw new UnsupportedOperationException("not yet");
    }

    /** How long the audio plays, rounded down to whole milliseconds. */
    public long durationMillis() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Reads a RIFF/WAVE file of 16-bit PCM, mono or stereo (stereo is mixed down to mono).
     *
     * @throws IllegalArgumentException when the bytes are not such a file, with the reason
     */
    public static Pcm16 readWav(byte[] wav) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Writes this audio as a canonical 44-byte-header RIFF/WAVE file, 16-bit PCM mono. */
    public byte[] toWav() {
        throw new UnsupportedOperationException("not yet");
    }
}
