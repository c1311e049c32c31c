package ai.interviewinsights.adapters.openai.local.speech;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.openai.media.EnergyVad;
import ai.interviewinsights.adapters.openai.media.Pcm16;
import ai.interviewinsights.adapters.openai.media.Resampler;
import ai.interviewinsights.adapters.openai.media.Signals;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Measures the offline voice on this machine: festival's time per sentence, pocketsphinx's time per sentence and per
 * second of audio, the words it gets right, and what the resampler and the VAD cost. Not part of the suite (the
 * name does not end in Test); figures are printed, never asserted. One command:
 *
 * <pre>
 * mvn -B -ntp -q test -pl interview-adapters-openai -am -Dtest=SpeechBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class SpeechBenchmark {

    /** The three measured sentences first (toolchain.md), then more of the kind a candidate says. */
    static final List<String> SENTENCES = List.of(
            Engines.INTERVIEW_SENTENCES.get(0), Engines.INTERVIEW_SENTENCES.get(1), Engines.INTERVIEW_SENTENCES.get(2),
            "Thank you for having me today.",
            "I led a team of four engineers for two years.",
            "The biggest risk was the database migration, so we tested it on a copy first.",
            "I would ask the customer what problem they are really trying to solve.",
            "When two colleagues disagreed, I asked each of them to write down their reasons.",
            "We reduced the build time from twenty minutes to five.",
            "I learned to ask for feedback early instead of waiting for the review.");
    static final int ROUNDS = 3;

    @Test
    void measure() throws Exception {
        SpeechSynthesizer festival = Engines.synthesizer();
        SpeechRecognizer pocketsphinx = Engines.recognizer();
        festival.speak("Warm up."); // the first process start pays for the page cache
        pocketsphinx.recognize(festival.speak("Warm up."));

        List<Double> speakMs = new ArrayList<>();
        List<Double> hearMs = new ArrayList<>();
        long audioMs = 0;
        int expectedWords = 0;
        double foundWords = 0;
        int firstThreeExpected = 0;
        double firstThreeFound = 0;
        StringBuilder heardLines = new StringBuilder();
        for (int i = 0; i < SENTENCES.size(); i++) {
            String sentence = SENTENCES.get(i);
            Pcm16 spoken = null;
            for (int round = 0; round < ROUNDS; round++) {
                long start = System.nanoTime();
                spoken = festival.speak(sentence);
                speakMs.add((System.nanoTime() - start) / 1e6);
            }
            String heard = "";
            for (int round = 0; round < ROUNDS; round++) {
                long start = System.nanoTime();
                heard = pocketsphinx.recognize(spoken);
                hearMs.add((System.nanoTime() - start) / 1e6);
            }
            audioMs += spoken.durationMillis();
            int words = Engines.words(sentence).size();
            double found = Engines.wordOverlap(sentence, heard) * words;
            expectedWords += words;
            foundWords += found;
            if (i < 3) {
                firstThreeExpected += words;
                firstThreeFound += found;
            }
            heardLines.append(String.format(Locale.ROOT, "  %2d/%2d  said: %s%n         heard: %s%n",
                    Math.round(found), words, sentence, heard));
        }

        short[] minute = Signals.speechLike(48000, 60_000, -20);
        long start = System.nanoTime();
        Resampler down = new Resampler(48000, 16000);
        for (int at = 0; at < minute.length; at += 480) {
            down.process(Arrays.copyOfRange(minute, at, at + 480));
        }
        double resampleMs = (System.nanoTime() - start) / 1e6;
        start = System.nanoTime();
        Resampler.convert(Resampler.convert(minute, 48000, 24000), 24000, 48000);
        double roundTripMs = (System.nanoTime() - start) / 1e6;
        EnergyVad vad = EnergyVad.withDefaults(48000);
        start = System.nanoTime();
        for (int at = 0; at < minute.length; at += 480) {
            vad.accept(Arrays.copyOfRange(minute, at, at + 480));
        }
        double vadMs = (System.nanoTime() - start) / 1e6;

        System.out.printf(Locale.ROOT, "%nOffline voice on this machine (%d sentences x %d rounds, %d cores)%n",
                SENTENCES.size(), ROUNDS, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "festival text2wave (slt HTS): %s ms per sentence%n", stats(speakMs));
        System.out.printf(Locale.ROOT, "pocketsphinx_continuous:      %s ms per sentence; %.0f ms per second of"
                + " audio (mean sentence %.1f s)%n", stats(hearMs), mean(hearMs) * SENTENCES.size() / (audioMs / 1e3),
                audioMs / 1e3 / SENTENCES.size());
        System.out.printf(Locale.ROOT, "words right: %.0f/%d over the first 3 sentences (%.0f%%), %.0f/%d over all %d"
                + " (%.0f%%)%n", firstThreeFound, firstThreeExpected, 100 * firstThreeFound / firstThreeExpected,
                foundWords, expectedWords, SENTENCES.size(), 100 * foundWords / expectedWords);
        System.out.print(heardLines);
        System.out.printf(Locale.ROOT, "resampler 48k->16k in 10 ms frames: %.0f ms per minute of audio (%.0fx"
                + " real time); 48k->24k->48k whole: %.0f ms per minute%n", resampleMs, 60_000 / resampleMs,
                roundTripMs);
        System.out.printf(Locale.ROOT, "energy VAD at 48k in 10 ms frames: %.1f ms per minute of audio%n", vadMs);
        assertTrue(foundWords > 0, "the engines ran");
    }

    private static String stats(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(Locale.ROOT, "p50 %.0f, p95 %.0f, mean %.0f", sorted[sorted.length / 2],
                sorted[(int) Math.ceil(sorted.length * 0.95) - 1], mean(values));
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }
}
