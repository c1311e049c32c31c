package ai.interviewinsights.adapters.openai.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.openai.media.VadEvent.SpeechStarted;
import ai.interviewinsights.adapters.openai.media.VadEvent.SpeechStopped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Properties of the resampler and the VAD over many random cases (seeded, so a failure reproduces). */
class MediaPropertiesTest {

    @Test
    void any_pair_of_rates_keeps_a_tone_and_streams_exactly_including_ratios_too_fine_to_tabulate() {
        Random random = new Random(2026);
        int[] common = {8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000, 96000};
        for (int round = 0; round < 24; round++) {
            int from = round % 3 == 0 ? 8000 + random.nextInt(90_000) : common[random.nextInt(common.length)];
            int to = round % 4 == 0 ? 8000 + random.nextInt(90_000) : common[random.nextInt(common.length)];
            double hz = 200 + random.nextInt((int) (Math.min(from, to) * 0.35));
            short[] tone = Signals.tone(hz, from, from / 2, 10_000);

            Resampler streaming = new Resampler(from, to);
            short[] joined = new short[0];
            for (int at = 0; at < tone.length; ) {
                int size = Math.min(tone.length - at, random.nextInt(2000));
                joined = Signals.concat(joined, streaming.process(Arrays.copyOfRange(tone, at, at + size)));
                at += size;
            }
            joined = Signals.concat(joined, streaming.flush());
            short[] whole = Resampler.convert(tone, from, to);

            String label = from + " -> " + to + " Hz, tone " + hz + " Hz";
            assertEquals(Math.round((double) tone.length * to / from), whole.length, label);
            assertArrayEquals(whole, joined, label);
            assertEquals(hz, Signals.peakFrequency(whole, to), Signals.binWidth(whole.length, to), label);
            assertEquals(10_000, Signals.amplitudeAt(whole, to, hz), 10_000 * 0.03, label);
        }
    }

    @Test
    void random_turns_and_pauses_give_alternating_events_at_the_right_audio_times() {
        Random random = new Random(7);
        for (int round = 0; round < 40; round++) {
            int rate = new int[] {16000, 24000, 48000}[round % 3];
            int prefix = random.nextInt(500);
            int silence = 200 + random.nextInt(800);
            EnergyVad vad = new EnergyVad(rate, 0.5, prefix, silence);

            // build: silence, then turns made of phrases separated by pauses shorter than the silence duration,
            // turns separated by pauses well over it; remember where each turn's speech starts and ends
            List<long[]> turns = new ArrayList<>();
            List<short[]> parts = new ArrayList<>();
            long at = 200 + random.nextInt(2000);
            parts.add(Signals.silence(rate, (int) at));
            int count = 1 + random.nextInt(4);
            for (int t = 0; t < count; t++) {
                long start = at;
                int phrases = 1 + random.nextInt(3);
                for (int p = 0; p < phrases; p++) {
                    int length = 120 + 240 * random.nextInt(6); // whole syllables, ending loud in the middle of one
                    parts.add(Signals.speechLike(rate, length, -22));
                    at += length;
                    if (p < phrases - 1) {
                        int pause = random.nextInt(Math.max(1, silence - 150));
                        parts.add(Signals.silence(rate, pause));
                        at += pause;
                    }
                }
                turns.add(new long[] {start, at});
                int gap = silence + 300 + random.nextInt(1000);
                parts.add(Signals.silence(rate, gap));
                at += gap;
            }
            short[] audio = Signals.concat(parts.toArray(short[][]::new));
            List<VadEvent> events = new ArrayList<>();
            for (int i = 0; i < audio.length; i += rate / 100) {
                events.addAll(vad.acceptAll(Arrays.copyOfRange(audio, i, Math.min(audio.length, i + rate / 100))));
            }

            String label = "round " + round + " (" + rate + " Hz, prefix " + prefix + ", silence " + silence + "): "
                    + events + " for " + turns.stream().map(Arrays::toString).toList();
            assertEquals(2 * turns.size(), events.size(), label);
            for (int t = 0; t < turns.size(); t++) {
                long started = ((SpeechStarted) events.get(2 * t)).audioStartMs();
                long stopped = ((SpeechStopped) events.get(2 * t + 1)).audioEndMs();
                long speechStart = turns.get(t)[0];
                long speechEnd = turns.get(t)[1];
                assertTrue(started >= Math.max(0, speechStart - prefix - 10) && started <= Math.max(0, speechStart - prefix + 40),
                        "start " + started + " in " + label);
                assertTrue(stopped >= speechEnd - 60 + silence && stopped <= speechEnd + silence + 20, // 10 ms windows, twice
                        "stop " + stopped + " in " + label);
            }
        }
    }
}
