package ai.interviewinsights.adapters.openai.local.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.openai.media.EnergyVad;
import ai.interviewinsights.adapters.openai.media.Pcm16;
import ai.interviewinsights.adapters.openai.media.Resampler;
import ai.interviewinsights.adapters.openai.media.Signals;
import ai.interviewinsights.adapters.openai.media.VadEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The offline voice end to end without a network: festival speaks interview answers, the audio goes the way a
 * call carries it (32 kHz -> 48 kHz WebRTC -> 24 kHz wire format, in 10 ms frames), the VAD finds the turn, and
 * pocketsphinx writes down what it hears.
 */
class SpeechRoundTripTest {

    @Test
    void three_interview_sentences_spoken_by_festival_are_recognised_by_pocketsphinx_at_70_percent_or_more() throws Exception {
        SpeechSynthesizer festival = Engines.synthesizer();
        SpeechRecognizer pocketsphinx = Engines.recognizer();

        int expectedWords = 0;
        double foundWords = 0;
        StringBuilder report = new StringBuilder();
        for (String sentence : Engines.INTERVIEW_SENTENCES) {
            String heard = pocketsphinx.recognize(festival.speak(sentence));
            double overlap = Engines.wordOverlap(sentence, heard);
            int words = Engines.words(sentence).size();
            expectedWords += words;
            foundWords += overlap * words;
            report.append("\n  said: ").append(sentence).append("\n  heard: ").append(heard);
            assertTrue(overlap >= 0.5, "one sentence badly misheard:" + report);
        }
        double total = foundWords / expectedWords;
        assertTrue(total >= 0.7, "word overlap " + Math.round(total * 100) + "%:" + report);
    }

    @Test
    void an_answer_streamed_like_a_call_is_one_turn_for_the_vad_and_is_recognised_from_the_turn_audio() throws Exception {
        String sentence = Engines.INTERVIEW_SENTENCES.get(0);
        Pcm16 spoken = Engines.synthesizer().speak(sentence);
        short[] at48k = Signals.concat(new short[48000], Resampler.convert(spoken.samples(), 32000, 48000),
                new short[48000]);

        Resampler toWire = new Resampler(48000, 24000);
        EnergyVad vad = EnergyVad.withDefaults(24000);
        List<VadEvent> events = new ArrayList<>();
        short[] wire = new short[0];
        for (int at = 0; at < at48k.length; at += 480) {
            short[] frame = toWire.process(Arrays.copyOfRange(at48k, at, Math.min(at48k.length, at + 480)));
            wire = Signals.concat(wire, frame);
            vad.accept(frame).ifPresent(events::add);
        }

        assertEquals(2, events.size(), "one turn, not split at the pauses between words: " + events);
        long start = ((VadEvent.SpeechStarted) events.get(0)).audioStartMs();
        long end = ((VadEvent.SpeechStopped) events.get(1)).audioEndMs();
        long speechEnd = 1000 + spoken.durationMillis();
        assertTrue(start >= 1000 - 300 - 20 && start < 1000 + 300, "audio_start_ms " + start);
        assertTrue(end > speechEnd - 600 && end <= speechEnd + 500 + 20,
                "audio_end_ms " + end + " for speech ending near " + speechEnd);

        short[] turn = Arrays.copyOfRange(wire, (int) (start * 24), Math.min(wire.length, (int) (end * 24)));
        String heard = Engines.recognizer().recognize(new Pcm16(24000, turn));
        assertTrue(Engines.wordOverlap(sentence, heard) >= 0.7, "heard \"" + heard + "\"");
    }
}
