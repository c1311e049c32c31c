package ai.interviewinsights.adapters.openai.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.openai.media.VadEvent.SpeechStarted;
import ai.interviewinsights.adapters.openai.media.VadEvent.SpeechStopped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Turn detection with server_vad's knobs, in audio time, on generated speech and silence. */
class EnergyVadTest {

    static final int RATE = 48000;

    @Test
    void a_phrase_between_silences_gives_one_turn_with_padding_before_and_the_silence_after() {
        short[] audio = Signals.concat(Signals.silence(RATE, 1000), Signals.speechLike(RATE, 2000, -20),
                Signals.silence(RATE, 1500));

        List<VadEvent> events = feed(EnergyVad.withDefaults(RATE), audio, 480);

        // speech begins at 1000 ms: started = 1000 - 300 ms padding; the phrase is cut off at 3000 ms in the middle
        // of a syllable, and the turn ends 500 ms of silence after it.
        assertEquals(2, events.size(), events.toString());
        assertEquals(new SpeechStarted(700), events.get(0));
        assertBetween(3480, 3500, ((SpeechStopped) events.get(1)).audioEndMs());
    }

    @Test
    void pauses_shorter_than_the_silence_duration_stay_inside_the_turn_and_longer_ones_end_it() {
        short[] audio = Signals.concat(Signals.silence(RATE, 500), Signals.speechLike(RATE, 1000, -25),
                Signals.silence(RATE, 400), Signals.speechLike(RATE, 1000, -25), Signals.silence(RATE, 900),
                Signals.speechLike(RATE, 500, -25), Signals.silence(RATE, 1000));

        List<VadEvent> events = feed(new EnergyVad(RATE, 0.5, 300, 500), audio, 480);

        assertEquals(4, events.size(), events.toString());
        // at -25 dBFS the first 10-20 ms of a syllable's soft attack are below the threshold
        assertBetween(200, 220, ((SpeechStarted) events.get(0)).audioStartMs());
        assertTrue(events.get(1) instanceof SpeechStopped stopped && stopped.audioEndMs() > 3300
                && stopped.audioEndMs() <= 3400, events.toString());
        assertBetween(3500, 3520, ((SpeechStarted) events.get(2)).audioStartMs());
        assertTrue(events.get(3) instanceof SpeechStopped);
    }

    @Test
    void the_silence_duration_and_the_prefix_padding_are_honoured_as_configured() {
        short[] audio = Signals.concat(Signals.silence(RATE, 1000), Signals.speechLike(RATE, 1000, -20),
                Signals.silence(RATE, 300), Signals.speechLike(RATE, 1000, -20), Signals.silence(RATE, 2000));

        List<VadEvent> quick = feed(new EnergyVad(RATE, 0.5, 100, 200), audio, 480);
        List<VadEvent> patient = feed(new EnergyVad(RATE, 0.5, 0, 1000), audio, 480);

        assertEquals(4, quick.size(), "a 300 ms pause ends a turn when 200 ms are enough: " + quick);
        assertEquals(new SpeechStarted(900), quick.get(0));
        assertEquals(2, patient.size(), patient.toString());
        assertEquals(new SpeechStarted(1000), patient.get(0));
        long end = ((SpeechStopped) patient.get(1)).audioEndMs();
        assertTrue(end > 3250 + 1000 && end <= 3300 + 1000, "audio_end_ms " + end);
    }

    @Test
    void the_prefix_padding_never_reaches_before_the_start_of_the_stream() {
        short[] audio = Signals.concat(Signals.silence(RATE, 100), Signals.speechLike(RATE, 500, -20));

        assertEquals(List.of(new SpeechStarted(0)), feed(EnergyVad.withDefaults(RATE), audio, 480));
    }

    @Test
    void the_threshold_decides_how_loud_speech_must_be() {
        short[] quiet = Signals.concat(Signals.silence(RATE, 500), Signals.speechLike(RATE, 1000, -52),
                Signals.silence(RATE, 1000));
        short[] loud = Signals.concat(Signals.silence(RATE, 500), Signals.speechLike(RATE, 1000, -20),
                Signals.silence(RATE, 1000));

        assertEquals(List.of(), feed(new EnergyVad(RATE, 0.5, 300, 500), quiet, 480), "-52 dBFS under 0.5");
        assertEquals(2, feed(new EnergyVad(RATE, 0.2, 300, 500), quiet, 480).size(), "-52 dBFS over 0.2");
        assertEquals(2, feed(new EnergyVad(RATE, 0.5, 300, 500), loud, 480).size(), "-20 dBFS over 0.5");
        assertEquals(List.of(), feed(new EnergyVad(RATE, 0.9, 300, 500), loud, 480), "-20 dBFS under 0.9");
    }

    @Test
    void room_noise_and_a_single_click_do_not_open_a_turn() {
        short[] click = new short[RATE / 100];
        Arrays.fill(click, (short) 20_000);
        short[] audio = Signals.concat(Signals.noise(-60, RATE * 2, 1), click, Signals.noise(-60, RATE * 2, 2));

        EnergyVad vad = EnergyVad.withDefaults(RATE);
        assertEquals(List.of(), feed(vad, audio, 480));
        assertFalse(vad.speaking());
        assertEquals(4010, vad.audioMillis());
    }

    @ParameterizedTest(name = "frames of {0} samples")
    @ValueSource(ints = {1, 7, 160, 441, 480, 960, 4096, 1_000_000})
    void the_events_do_not_depend_on_how_the_audio_is_framed(int frame) {
        short[] audio = Signals.concat(Signals.silence(RATE, 700), Signals.speechLike(RATE, 1200, -25),
                Signals.silence(RATE, 800), Signals.speechLike(RATE, 600, -25), Signals.silence(RATE, 700));

        List<VadEvent> reference = feed(EnergyVad.withDefaults(RATE), audio, 480);
        EnergyVad vad = EnergyVad.withDefaults(RATE);
        List<VadEvent> framed = new ArrayList<>();
        for (int at = 0; at < audio.length; at += frame) {
            framed.addAll(vad.acceptAll(Arrays.copyOfRange(audio, at, Math.min(audio.length, at + frame))));
        }

        assertEquals(4, reference.size(), reference.toString());
        assertEquals(reference, framed);
    }

    @Test
    void accept_hands_out_the_events_of_a_long_frame_one_call_at_a_time_in_order() {
        short[] audio = Signals.concat(Signals.silence(RATE, 700), Signals.speechLike(RATE, 1200, -25),
                Signals.silence(RATE, 800));
        EnergyVad vad = EnergyVad.withDefaults(RATE);

        Optional<VadEvent> first = vad.accept(audio);
        Optional<VadEvent> second = vad.accept(new short[0]);

        assertBetween(400, 420, ((SpeechStarted) first.orElseThrow()).audioStartMs());
        assertTrue(second.orElseThrow() instanceof SpeechStopped);
        assertEquals(Optional.empty(), vad.accept(new short[0]));
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {8000, 16000, 22050, 24000, 44100, 48000})
    void times_are_audio_milliseconds_at_any_rate(int rate) {
        short[] audio = Signals.concat(Signals.silence(rate, 1000), Signals.speechLike(rate, 1000, -20),
                Signals.silence(rate, 1000));

        List<VadEvent> events = feed(EnergyVad.withDefaults(rate), audio, rate / 100);

        assertEquals(2, events.size(), events.toString());
        long start = ((SpeechStarted) events.get(0)).audioStartMs();
        assertTrue(Math.abs(start - 700) <= 10, "audio_start_ms " + start);
    }

    @Test
    void settings_outside_server_vad_ranges_are_rejected() {
        assertThrows(IllegalArgumentException.class, () -> new EnergyVad(RATE, 1.5, 300, 500));
        assertThrows(IllegalArgumentException.class, () -> new EnergyVad(RATE, Double.NaN, 300, 500));
        assertThrows(IllegalArgumentException.class, () -> new EnergyVad(RATE, 0.5, -1, 500));
        assertThrows(IllegalArgumentException.class, () -> new EnergyVad(RATE, 0.5, 300, 0));
        assertThrows(IllegalArgumentException.class, () -> new EnergyVad(4000, 0.5, 300, 500));
    }

    static void assertBetween(long low, long high, long actual) {
        assertTrue(actual >= low && actual <= high, actual + " not in [" + low + ", " + high + "]");
    }

    static List<VadEvent> feed(EnergyVad vad, short[] audio, int frame) {
        List<VadEvent> events = new ArrayList<>();
        for (int at = 0; at < audio.length; at += frame) {
            vad.accept(Arrays.copyOfRange(audio, at, Math.min(audio.length, at + frame))).ifPresent(events::add);
        }
        return events;
    }
}
