package ai.interviewinsights.adapters.openai.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Band-limited resampling: frequency kept, no aliasing, streaming identical to whole-signal, exact length. */
class ResamplerTest {

    @ParameterizedTest(name = "{0} Hz -> {1} Hz")
    @CsvSource({"48000,24000", "24000,48000", "48000,16000", "16000,48000", "24000,16000", "16000,24000",
            "32000,16000", "32000,24000", "32000,48000", "44100,16000", "22050,48000", "48000,44100", "16000,32000",
            "44100,47999"}) // the last one: 47999 phases, too many to tabulate, evaluated per sample
    void a_1_kHz_tone_keeps_its_frequency_and_level(int from, int to) {
        short[] tone = Signals.tone(1000, from, from, 10_000); // one second

        short[] out = Resampler.convert(tone, from, to);

        assertEquals(Math.round((double) tone.length * to / from), out.length, "length");
        double peak = Signals.peakFrequency(out, to);
        assertEquals(1000, peak, Signals.binWidth(out.length, to), "FFT peak in Hz");
        // away from the edges, the level is that of the input tone (10000 peak -> 7071 RMS), within 0.2 dB
        double level = Signals.rms(out, to / 10, to - to / 10);
        assertEquals(Signals.dbfs(10_000 / Math.sqrt(2)), Signals.dbfs(level), 0.2, "level in dBFS");
    }

    @ParameterizedTest(name = "{0} Hz tone, {1} Hz -> {2} Hz")
    @CsvSource({"12000,48000,16000", "10000,48000,16000", "15000,48000,24000", "9000,32000,16000",
            "20000,44100,16000"})
    void a_tone_above_the_new_nyquist_frequency_is_filtered_out_not_folded_back(int hz, int from, int to) {
        short[] tone = Signals.tone(hz, from, from, 20_000);

        short[] out = Resampler.convert(tone, from, to);

        double level = Signals.dbfs(Signals.rms(out, to / 10, to - to / 10));
        assertTrue(level < -70, "an unfiltered decimation would alias this tone at full level; got " + level + " dBFS");
    }

    @ParameterizedTest(name = "{0} Hz -> {1} Hz")
    @CsvSource({"16000,48000", "24000,48000", "16000,24000", "32000,48000"})
    void upsampling_puts_no_image_of_a_tone_above_the_original_band(int from, int to) {
        double hz = from * 0.375; // 6 kHz at 16 kHz: its first image would sit at from - hz = 10 kHz
        short[] tone = Signals.tone(hz, from, from, 20_000);

        short[] out = Resampler.convert(tone, from, to);

        double wanted = Signals.amplitudeAt(out, to, hz);
        double image = Signals.amplitudeAt(out, to, from - hz);
        assertEquals(20_000, wanted, 20_000 * 0.03, "the tone keeps its amplitude");
        assertTrue(20 * Math.log10(image / wanted) < -60, "image at " + (from - hz) + " Hz: "
                + 20 * Math.log10(image / wanted) + " dB (zero-stuffing without a filter gives 0 dB)");
        assertEquals(hz, Signals.peakFrequency(out, to), Signals.binWidth(out.length, to));
    }

    @ParameterizedTest(name = "{0} Hz -> {1} Hz")
    @CsvSource({"48000,24000", "24000,48000", "48000,16000", "16000,48000", "32000,24000", "44100,16000",
            "22050,48000", "48000,48000"})
    void streaming_in_chunks_of_any_size_gives_exactly_the_whole_signal_result(int from, int to) {
        short[] signal = Signals.concat(Signals.speechLike(from, 700, -20), Signals.noise(-30, from / 3, 7),
                Signals.tone(1000, from, from / 2, 12_000));
        short[] whole = Resampler.convert(signal, from, to);
        Random random = new Random(from * 31L + to);

        Resampler streaming = new Resampler(from, to);
        short[] joined = new short[0];
        int at = 0;
        int chunks = 0;
        while (at < signal.length) {
            int size = Math.min(signal.length - at, random.nextInt(3) == 0 ? random.nextInt(5) : random.nextInt(600));
            short[] chunk = java.util.Arrays.copyOfRange(signal, at, at + size);
            joined = Signals.concat(joined, streaming.process(chunk));
            at += size;
            chunks++;
        }
        joined = Signals.concat(joined, streaming.flush());

        assertTrue(chunks > 100, "many chunks, including empty and tiny ones");
        assertEquals(Math.round((double) signal.length * to / from), joined.length, "exact length over the stream");
        assertArrayEquals(whole, joined, "sample for sample the same as converting the whole signal");
    }

    @Test
    void ten_millisecond_webrtc_frames_come_out_at_a_steady_count_with_a_fixed_small_latency() {
        Resampler down = new Resampler(48000, 24000);
        short[] tone = Signals.tone(1000, 48000, 48000 * 10, 12_000);
        int total = 0;
        for (int frame = 0; frame < 1000; frame++) {
            short[] out = down.process(java.util.Arrays.copyOfRange(tone, frame * 480, frame * 480 + 480));
            total += out.length;
            if (frame > 0) {
                assertEquals(240, out.length, "frame " + frame);
            }
        }
        assertTrue(down.latencyMillis() < 2, "latency " + down.latencyMillis() + " ms");
        int heldBack = (int) Math.round(down.latencyMillis() * 24);
        assertEquals(240_000 - heldBack, total, "no drift over 1000 frames");
        assertEquals(heldBack, down.flush().length);
    }

    @ParameterizedTest(name = "{0} Hz -> {1} Hz")
    @CsvSource({"48000,24000", "24000,48000", "48000,16000", "16000,48000", "32000,48000"})
    void a_tone_streamed_in_10_ms_frames_has_no_click_or_gap_at_the_frame_edges(int from, int to) {
        double amplitude = 12_000;
        short[] tone = Signals.tone(1000, from, from * 2, amplitude);
        Resampler resampler = new Resampler(from, to);
        int frame = from / 100;
        short[] out = new short[0];
        for (int at = 0; at < tone.length; at += frame) {
            out = Signals.concat(out, resampler.process(java.util.Arrays.copyOfRange(tone, at, at + frame)));
        }
        out = Signals.concat(out, resampler.flush());

        // A pure 1 kHz tone never moves faster than 2*pi*f/rate*amplitude between samples; a gap, a repeated
        // block or a discontinuity at a frame edge would, and so would a zero-filled hole (checked by level).
        double maxStep = 2 * Math.PI * 1000 / to * amplitude * 1.02 + 2;
        int settle = to / 50; // the first 20 ms start from silence
        for (int i = settle; i < out.length - settle; i++) {
            double step = Math.abs(out[i] - out[i - 1]);
            assertTrue(step <= maxStep, "jump of " + step + " at output sample " + i + " (max " + maxStep + ")");
        }
        for (int at = settle; at + to / 100 < out.length - settle; at += to / 100) {
            double level = Signals.rms(out, at, at + to / 100);
            assertEquals(amplitude / Math.sqrt(2), level, amplitude * 0.02, "level of the 10 ms block at " + at);
        }
    }

    @Test
    void silence_stays_silent_and_a_constant_stays_constant() {
        assertArrayEquals(new short[8000], Resampler.convert(new short[24000], 48000, 16000));
        short[] constant = new short[4800];
        java.util.Arrays.fill(constant, (short) 1234);
        short[] out = Resampler.convert(constant, 48000, 24000);
        for (int i = 100; i < out.length - 100; i++) {
            assertEquals(1234, out[i], 1, "sample " + i);
        }
    }

    @Test
    void full_scale_input_overshooting_after_filtering_is_clipped_not_wrapped_around() {
        // a 100 Hz full-scale square wave: the filter's ringing overshoots past the 16-bit range near each edge
        short[] square = new short[48000];
        for (int i = 0; i < square.length; i++) {
            square[i] = (i / 240) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
        }
        short[] out = Resampler.convert(square, 48000, 16000);
        for (int i = 0; i < out.length; i++) {
            int fromEdge = Math.min(i % 80, 80 - i % 80);
            if (fromEdge > 1 && i > 80) {
                boolean high = (i / 80) % 2 == 0;
                assertTrue(high ? out[i] > 20_000 : out[i] < -20_000, "sample " + i + " = " + out[i]
                        + ": a wrapped overshoot flips sign on the plateau");
            }
        }
    }

    @Test
    void nonsense_rates_and_use_after_flush_are_rejected() {
        assertThrows(IllegalArgumentException.class, () -> new Resampler(0, 16000));
        assertThrows(IllegalArgumentException.class, () -> new Resampler(48000, -1));
        Resampler resampler = new Resampler(48000, 16000);
        resampler.flush();
        assertThrows(IllegalStateException.class, () -> resampler.process(new short[10]));
    }
}
