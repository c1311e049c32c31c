package ai.interviewinsights.adapters.openai.local.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.openai.media.Pcm16;
import ai.interviewinsights.adapters.openai.media.Signals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pocketsphinx_continuous: the real engine, its output format, and engines that misbehave. */
class PocketsphinxRecognizerTest {

    @TempDir
    Path temp;

    @Test
    void recognises_festival_speech_handed_over_at_48_khz_and_leaves_no_temporary_file() throws Exception {
        Engines.require();
        String sentence = "Thank you for joining us today.";
        Pcm16 spoken = Engines.synthesizer().speak(sentence).resampledTo(48000);
        PocketsphinxRecognizer recognizer = new PocketsphinxRecognizer("pocketsphinx_continuous",
                Duration.ofSeconds(30), temp);

        String heard = recognizer.recognize(spoken);

        assertTrue(Engines.wordOverlap(sentence, heard) >= 0.7, "heard \"" + heard + "\"");
        assertEquals(heard.toLowerCase(java.util.Locale.ROOT), heard);
        assertEquals(java.util.Set.of(), names(temp), "the temporary WAV is deleted");
    }

    @Test
    void silence_and_empty_audio_are_heard_as_nothing() throws Exception {
        SpeechRecognizer recognizer = Engines.recognizer();

        assertEquals("", recognizer.recognize(new Pcm16(16000, new short[0])));
        assertEquals("", recognizer.recognize(Pcm16.silence(16000, 1500)));
    }

    @Test
    void the_engine_gets_a_16_khz_mono_16_bit_wav_file_named_after_infile() throws Exception {
        Path seen = temp.resolve("seen.wav");
        Path recorder = script("recorder", "[ \"$1\" = -infile ] || exit 9; cp \"$2\" " + seen
                + "; echo 'hello world'");
        PocketsphinxRecognizer recognizer = new PocketsphinxRecognizer(recorder.toString(), Duration.ofSeconds(5),
                temp);

        String heard = recognizer.recognize(new Pcm16(24000, Signals.tone(300, 24000, 24000, 5000)));

        assertEquals("hello world", heard);
        Pcm16 handed = Pcm16.readWav(Files.readAllBytes(seen));
        assertEquals(16000, handed.sampleRate());
        assertEquals(16000, handed.samples().length);
        assertEquals(java.util.Set.of("recorder", "seen.wav"), names(temp), "only the copy the script made is left");
    }

    @Test
    void hypothesis_lines_are_joined_and_cleaned_of_markers_and_utterance_numbers() {
        assertEquals("hello neda thank you for joining us today",
                PocketsphinxRecognizer.hypothesis("hello neda thank you for joining us today\n"));
        assertEquals("first part second part", PocketsphinxRecognizer.hypothesis(
                "000000000: first part\n\n000000001: <sil> second [NOISE] part(2)\r\n"));
        assertEquals("", PocketsphinxRecognizer.hypothesis("\n\n"));
        assertEquals("words", PocketsphinxRecognizer.hypothesis("INFO: cmd_ln.c(702): Parsing\nWORDS\n"));
    }

    @Test
    void a_missing_failing_or_hanging_engine_gives_its_code_and_never_leaves_the_temporary_file() throws Exception {
        Pcm16 audio = new Pcm16(16000, Signals.tone(300, 16000, 8000, 5000));
        Path failing = script("failing", "echo 'ERROR: \"acmod.c\", line 83: Folder does not exist' >&2; exit 1");
        Path hanging = script("hanging", "exec sleep 60");

        SpeechException missing = assertThrows(SpeechException.class, () -> new PocketsphinxRecognizer(
                temp.resolve("nope").toString(), Duration.ofSeconds(5), temp).recognize(audio));
        SpeechException failed = assertThrows(SpeechException.class, () -> new PocketsphinxRecognizer(
                failing.toString(), Duration.ofSeconds(5), temp).recognize(audio));
        SpeechException timedOut = assertThrows(SpeechException.class, () -> new PocketsphinxRecognizer(
                hanging.toString(), Duration.ofMillis(300), temp).recognize(audio));

        assertEquals("speech.engine_missing", missing.code());
        assertEquals("speech.engine_failed", failed.code());
        assertEquals("pocketsphinx failed (exit 1): ERROR: \"acmod.c\", line 83: Folder does not exist",
                failed.getMessage());
        assertEquals("speech.timeout", timedOut.code());
        assertEquals(java.util.Set.of("failing", "hanging"), names(temp), "only the two scripts remain");
    }

    @Test
    void audio_longer_than_an_answer_is_refused_before_any_work() {
        SpeechException e = assertThrows(SpeechException.class, () -> new PocketsphinxRecognizer()
                .recognize(Pcm16.silence(8000, PocketsphinxRecognizer.MAX_AUDIO.toMillis() + 1000)));
        assertEquals("speech.invalid_input", e.code());
        assertEquals("speech.invalid_input", assertThrows(SpeechException.class,
                () -> new PocketsphinxRecognizer().recognize(null)).code());
    }

    private Path script(String name, String body) throws Exception {
        Path script = temp.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static java.util.Set<String> names(Path directory) throws Exception {
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
    }
}
