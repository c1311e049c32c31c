package ai.interviewinsights.adapters.openai.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The audio value and its WAV codec. */
class Pcm16Test {

    @Test
    void a_wav_written_reads_back_the_same_and_has_the_canonical_header() {
        Pcm16 audio = new Pcm16(24000, Signals.tone(440, 24000, 2400, 9000));

        byte[] wav = audio.toWav();

        assertEquals(44 + 4800, wav.length);
        ByteBuffer header = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("RIFF", new String(wav, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(36 + 4800, header.getInt(4));
        assertEquals("WAVEfmt ", new String(wav, 8, 8, StandardCharsets.US_ASCII));
        assertEquals(16, header.getInt(16));
        assertEquals(1, header.getShort(20), "PCM");
        assertEquals(1, header.getShort(22), "mono");
        assertEquals(24000, header.getInt(24));
        assertEquals(48000, header.getInt(28), "byte rate");
        assertEquals(2, header.getShort(32), "block align");
        assertEquals(16, header.getShort(34), "bits");
        assertEquals("data", new String(wav, 36, 4, StandardCharsets.US_ASCII));
        assertEquals(4800, header.getInt(40));
        assertEquals(audio, Pcm16.readWav(wav));
        assertEquals(100, audio.durationMillis());
    }

    @Test
    void stereo_is_mixed_down_and_unknown_chunks_and_odd_padding_are_skipped() {
        byte[] fmt = fmt(1, 2, 16000, 16);
        byte[] list = chunk("LIST", new byte[] {1, 2, 3}); // odd size: one pad byte follows
        byte[] data = chunk("data", samples(1000, 3000, -2000, -4000, 32767, 32767));
        byte[] wav = riff(fmt, list, data);

        Pcm16 audio = Pcm16.readWav(wav);

        assertEquals(16000, audio.sampleRate());
        assertArrayEquals(new short[] {2000, -3000, 32767}, audio.samples());
    }

    @Test
    void wave_format_extensible_with_pcm_and_a_streamed_data_size_are_read() {
        ByteBuffer fmt = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        fmt.putShort((short) 0xFFFE).putShort((short) 1).putInt(48000).putInt(96000).putShort((short) 2)
                .putShort((short) 16).putShort((short) 22).putShort((short) 16).putInt(4).putShort((short) 1);
        byte[] data = samples(5, 6, 7);
        ByteBuffer streamed = ByteBuffer.allocate(8 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        streamed.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(0xFFFFFFFF).put(data);

        Pcm16 audio = Pcm16.readWav(riff(chunk("fmt ", fmt.array()), streamed.array()));

        assertEquals(48000, audio.sampleRate());
        assertArrayEquals(new short[] {5, 6, 7}, audio.samples());
    }

    @Test
    void a_wav_streamed_to_a_pipe_with_zero_sizes_like_text2wave_writes_is_read_to_its_end() {
        byte[] wav = new Pcm16(32000, new short[] {10, -20, 30}).toWav();
        ByteBuffer header = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(4, 36); // what text2wave writes to a pipe: RIFF size and data size left as for no samples
        header.putInt(40, 0);

        assertArrayEquals(new short[] {10, -20, 30}, Pcm16.readWav(wav).samples());
        // a genuinely empty data chunk (the RIFF size covers what follows) stays empty
        byte[] empty = riff(fmt(1, 1, 8000, 16), chunk("data", new byte[0]), chunk("LIST", new byte[4]));
        assertEquals(0, Pcm16.readWav(empty).samples().length);
    }

    @Test
    void what_is_not_16_bit_pcm_wav_is_rejected_with_the_reason() {
        assertEquals("not a RIFF/WAVE file", assertThrows(IllegalArgumentException.class,
                () -> Pcm16.readWav("hello".getBytes(StandardCharsets.US_ASCII))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pcm16.readWav(null));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Pcm16.readWav(riff(fmt(1, 1, 8000, 8), chunk("data", new byte[4])))).getMessage()
                .contains("not 16-bit integer PCM"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Pcm16.readWav(riff(fmt(3, 1, 8000, 32), chunk("data", new byte[4])))).getMessage()
                .contains("format 3"));
        assertEquals("the WAV's data chunk comes before its fmt chunk", assertThrows(IllegalArgumentException.class,
                () -> Pcm16.readWav(riff(chunk("data", new byte[4]), fmt(1, 1, 8000, 16)))).getMessage());
        assertEquals("the WAV has no data chunk", assertThrows(IllegalArgumentException.class,
                () -> Pcm16.readWav(riff(fmt(1, 1, 8000, 16)))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Pcm16.readWav(riff(fmt(1, 1, 12, 16), chunk("data", new byte[4])))).getMessage()
                .contains("sample rate"));
        byte[] truncated = java.util.Arrays.copyOf(new Pcm16(8000, new short[10]).toWav(), 30);
        assertThrows(IllegalArgumentException.class, () -> Pcm16.readWav(truncated));
    }

    @Test
    void invariants_copies_and_a_tostring_without_the_samples() {
        assertThrows(IllegalArgumentException.class, () -> new Pcm16(999, new short[0]));
        assertThrows(IllegalArgumentException.class, () -> new Pcm16(16000, null));
        short[] mine = {1, 2, 3};
        Pcm16 audio = new Pcm16(16000, mine);
        mine[0] = 99;
        assertEquals(1, audio.samples()[0], "the record keeps its own copy");
        assertEquals("Pcm16[16000 Hz, 3 samples, 0 ms]", audio.toString());
        assertEquals(new Pcm16(16000, new short[] {1, 2, 3}).hashCode(), audio.hashCode());
        assertFalse(audio.equals(new Pcm16(8000, new short[] {1, 2, 3})));
    }

    @Test
    void silence_append_and_resampling_helpers() {
        Pcm16 silence = Pcm16.silence(16000, 250);
        assertEquals(4000, silence.samples().length);
        Pcm16 joined = silence.append(new Pcm16(16000, new short[] {7}));
        assertEquals(4001, joined.samples().length);
        assertEquals(7, joined.samples()[4000]);
        assertThrows(IllegalArgumentException.class, () -> silence.append(Pcm16.silence(8000, 10)));
        assertEquals(12000, silence.resampledTo(48000).samples().length);
        assertEquals(silence, silence.resampledTo(16000));
    }

    private static byte[] fmt(int format, int channels, int rate, int bits) {
        ByteBuffer body = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        body.putShort((short) format).putShort((short) channels).putInt(rate).putInt(rate * channels * bits / 8)
                .putShort((short) (channels * bits / 8)).putShort((short) bits);
        return chunk("fmt ", body.array());
    }

    private static byte[] samples(int... values) {
        ByteBuffer out = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int value : values) {
            out.putShort((short) value);
        }
        return out.array();
    }

    private static byte[] chunk(String id, byte[] body) {
        ByteBuffer out = ByteBuffer.allocate(8 + body.length + (body.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        out.put(id.getBytes(StandardCharsets.US_ASCII)).putInt(body.length).put(body);
        return out.array();
    }

    private static byte[] riff(byte[]... chunks) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WAVE".getBytes(StandardCharsets.US_ASCII));
        for (byte[] chunk : chunks) {
            body.writeBytes(chunk);
        }
        ByteBuffer out = ByteBuffer.allocate(8 + body.size()).order(ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(body.size()).put(body.toByteArray());
        return out.array();
    }
}
