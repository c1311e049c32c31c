package ai.interviewinsights.adapters.openai.media;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A stretch of mono audio as signed 16-bit samples at a known rate: the one audio value the local realtime endpoint
 * passes between WebRTC (48 kHz), OpenAI's wire format (24 kHz), the recogniser (16 kHz) and the synthesiser (32 kHz).
 *
 * <p>The record takes its own copy of the samples when it is made; {@link #samples()} hands out that copy without
 * copying again (audio loops read it sample by sample), so callers must treat it as read-only.
 *
 * @param sampleRate samples per second, {@value #MIN_RATE} to {@value #MAX_RATE}
 * @param samples    the samples, mono, signed 16-bit
 */
public record Pcm16(int sampleRate, short[] samples) {

    public static final int MIN_RATE = 1_000;
    public static final int MAX_RATE = 384_000;

    private static final int HEADER_BYTES = 44;
    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    public Pcm16 {
        if (sampleRate < MIN_RATE || sampleRate > MAX_RATE) {
            throw new IllegalArgumentException("sample rate must be " + MIN_RATE + " to " + MAX_RATE + " Hz, not "
                    + sampleRate);
        }
        if (samples == null) {
            throw new IllegalArgumentException("samples must be present");
        }
        samples = samples.clone();
    }

    /** Silence of the given length. */
    public static Pcm16 silence(int sampleRate, long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("a duration must not be negative");
        }
        return new Pcm16(sampleRate, new short[Math.toIntExact(millis * sampleRate / 1000)]);
    }

    /** How long the audio plays, rounded down to whole milliseconds. */
    public long durationMillis() {
        return samples.length * 1000L / sampleRate;
    }

    /** The same audio at another rate (see {@link Resampler#convert}). */
    public Pcm16 resampledTo(int rate) {
        return rate == sampleRate ? this : new Pcm16(rate, Resampler.convert(samples, sampleRate, rate));
    }

    /** This audio followed by another of the same rate. */
    public Pcm16 append(Pcm16 next) {
        if (next.sampleRate != sampleRate) {
            throw new IllegalArgumentException("cannot append " + next.sampleRate + " Hz audio to " + sampleRate + " Hz");
        }
        short[] joined = Arrays.copyOf(samples, samples.length + next.samples.length);
        System.arraycopy(next.samples, 0, joined, samples.length, next.samples.length);
        return new Pcm16(sampleRate, joined);
    }

    /**
     * Reads a RIFF/WAVE file of 16-bit integer PCM (format 1, or WAVE_FORMAT_EXTENSIBLE with the PCM sub-format),
     * any number of channels, mixed down to mono by averaging. Chunks other than {@code fmt } and {@code data} are
     * skipped; a {@code data} chunk whose size was never filled in (a WAV streamed to a pipe: 0xFFFFFFFF, or 0 with a
     * RIFF size that ends there) or that claims more than the file holds is read to the file's end.
     *
     * @throws IllegalArgumentException when the bytes are not such a file, saying why
     */
    public static Pcm16 readWav(byte[] wav) {
        if (wav == null || wav.length < 12 || !tag(wav, 0).equals("RIFF") || !tag(wav, 8).equals("WAVE")) {
            throw new IllegalArgumentException("not a RIFF/WAVE file");
        }
        ByteBuffer in = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        int channels = 0;
        int rate = 0;
        int offset = 12;
        while (offset + 8 <= wav.length) {
            String id = tag(wav, offset);
            long size = Integer.toUnsignedLong(in.getInt(offset + 4));
            int body = offset + 8;
            if (id.equals("fmt ")) {
                if (size < 16 || body + 16 > wav.length) {
                    throw new IllegalArgumentException("the WAV's fmt chunk is too short");
                }
                int format = Short.toUnsignedInt(in.getShort(body));
                channels = Short.toUnsignedInt(in.getShort(body + 2));
                rate = in.getInt(body + 4);
                int bits = Short.toUnsignedInt(in.getShort(body + 14));
                if (format == FORMAT_EXTENSIBLE && size >= 26 && body + 26 <= wav.length) {
                    format = Short.toUnsignedInt(in.getShort(body + 24));
                }
                if (format != FORMAT_PCM || bits != 16) {
                    throw new IllegalArgumentException("the WAV is not 16-bit integer PCM (format " + format + ", "
                            + bits + " bits)");
                }
                if (channels < 1) {
                    throw new IllegalArgumentException("the WAV has no channels");
                }
            } else if (id.equals("data")) {
                if (channels == 0) {
                    throw new IllegalArgumentException("the WAV's data chunk comes before its fmt chunk");
                }
                // Writers streaming to a pipe cannot go back to fill in sizes: festival's text2wave leaves 0 (and a
                // RIFF size ending at this header), others 0xFFFFFFFF. Then the samples run to the end of the file.
                long riffSize = Integer.toUnsignedLong(in.getInt(4));
                boolean streamed = size == 0xFFFFFFFFL || (size == 0 && riffSize <= body - 8L);
                int length = (int) (streamed ? wav.length - body : Math.min(size, wav.length - body));
                return new Pcm16(rate, mixDown(in, body, length, channels));
            }
            offset = Math.toIntExact(Math.min((long) wav.length, body + size + (size & 1)));
        }
        throw new IllegalArgumentException(channels == 0 ? "the WAV has no fmt chunk" : "the WAV has no data chunk");
    }

    /** Writes this audio as a canonical RIFF/WAVE file (44-byte header), 16-bit PCM mono. */
    public byte[] toWav() {
        int dataBytes = samples.length * 2;
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) FORMAT_PCM).putShort((short) 1).putInt(sampleRate).putInt(sampleRate * 2)
                .putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
        for (short sample : samples) {
            out.putShort(sample);
        }
        return out.array();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Pcm16 that && that.sampleRate == sampleRate && Arrays.equals(that.samples, samples);
    }

    @Override
    public int hashCode() {
        return 31 * sampleRate + Arrays.hashCode(samples);
    }

    @Override
    public String toString() {
        // The samples may be a candidate's voice, and are long: say only what they are.
        return "Pcm16[" + sampleRate + " Hz, " + samples.length + " samples, " + durationMillis() + " ms]";
    }

    private static short[] mixDown(ByteBuffer in, int start, int length, int channels) {
        int frames = length / (2 * channels);
        short[] mono = new short[frames];
        for (int frame = 0; frame < frames; frame++) {
            int base = start + frame * 2 * channels;
            if (channels == 1) {
                mono[frame] = in.getShort(base);
            } else {
                int sum = 0;
                for (int channel = 0; channel < channels; channel++) {
                    sum += in.getShort(base + 2 * channel);
                }
                mono[frame] = (short) Math.round((double) sum / channels);
            }
        }
        return mono;
    }

    private static String tag(byte[] bytes, int offset) {
        return new String(bytes, offset, 4, StandardCharsets.US_ASCII);
    }
}
