package ai.interviewinsights.adapters.openai.local.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.openai.media.Pcm16;
import ai.interviewinsights.adapters.openai.media.Signals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Festival through text2wave: the real engine, and engines that misbehave (small scripts standing in for it). */
class FestivalSynthesizerTest {

    @TempDir
    Path temp;

    @Test
    void speaks_a_sentence_as_32_khz_audio_with_sound_in_it() throws Exception {
        Pcm16 audio = Engines.synthesizer().speak("Thank you, Ada. Tell me about a system you designed.");

        assertEquals(32000, audio.sampleRate());
        assertTrue(audio.durationMillis() > 1500 && audio.durationMillis() < 10_000, audio.toString());
        double level = Signals.dbfs(Signals.rms(audio.samples(), 0, audio.samples().length));
        assertTrue(level > -40, "spoken audio, not silence: " + level + " dBFS");
    }

    @Test
    void text_is_never_evaluated_by_a_shell_or_by_festival_scheme() throws Exception {
        Path marker = temp.resolve("pwned");
        String hostile = "Hello \"Ada\"; (quit) (system \"touch " + marker + "\") $(touch " + marker + ") `touch "
                + marker + "` tell me more.";

        Pcm16 audio = Engines.synthesizer().speak(hostile);

        assertTrue(audio.durationMillis() > 1000, "the whole text was spoken, not cut at a quote: " + audio);
        assertFalse(Files.exists(marker), "nothing in the text ran");
    }

    @Test
    void names_with_accents_and_unicode_punctuation_are_spoken_not_rejected() throws Exception {
        Pcm16 audio = Engines.synthesizer().speak("Welcome, Zoë Müller – it’s “great” to meet you.");

        assertTrue(audio.durationMillis() > 1000, audio.toString());
        assertEquals("Welcome, Zoe Muller it s great to meet you.",
                FestivalSynthesizer.speakable("Welcome, Zoë Müller – it’s “great” to meet you."));
    }

    @Test
    void empty_blank_punctuation_only_and_overlong_text_is_invalid_input() {
        for (String bad : new String[] {null, "", "   \n\t", "?!...", "x".repeat(FestivalSynthesizer.MAX_TEXT + 1)}) {
            SpeechException e = assertThrows(SpeechException.class, () -> new FestivalSynthesizer().speak(bad));
            assertEquals("speech.invalid_input", e.code());
        }
    }

    @Test
    void a_missing_engine_is_reported_as_such() {
        FestivalSynthesizer missing = new FestivalSynthesizer(temp.resolve("no-text2wave").toString(),
                Duration.ofSeconds(5));

        SpeechException e = assertThrows(SpeechException.class, () -> missing.speak("Hello."));

        assertEquals("speech.engine_missing", e.code());
        assertTrue(e.getMessage().contains("no-text2wave"), e.getMessage());
    }

    @Test
    void an_engine_that_fails_or_writes_no_wav_is_an_engine_failure_with_its_last_error_line() throws Exception {
        Path failing = script("failing", "echo 'SIOD ERROR: no voice' >&2; exit 3");
        Path chatty = script("chatty", "cat >/dev/null; echo 'this is not audio'");

        SpeechException failed = assertThrows(SpeechException.class,
                () -> new FestivalSynthesizer(failing.toString(), Duration.ofSeconds(5)).speak("Hello."));
        SpeechException garbage = assertThrows(SpeechException.class,
                () -> new FestivalSynthesizer(chatty.toString(), Duration.ofSeconds(5)).speak("Hello."));

        assertEquals("speech.engine_failed", failed.code());
        assertEquals("festival failed (exit 3): SIOD ERROR: no voice", failed.getMessage());
        assertEquals("speech.engine_failed", garbage.code());
        assertTrue(garbage.getMessage().contains("not a usable WAV"), garbage.getMessage());
    }

    @Test
    void a_hanging_engine_is_killed_at_the_timeout() throws Exception {
        // a wrapper that starts the real work as a child, as text2wave's script could
        Path hanging = script("hanging", "sleep 60 & echo $! > " + temp.resolve("child") + "; echo $$ > "
                + temp.resolve("pid") + "; wait");

        // The timeout must leave the shell time to start and write both files before it is killed (else there is no
        // pid to check, or an empty file): 500 ms can be too short for a fork and exec on a loaded machine.
        long started = System.nanoTime();
        SpeechException e = assertThrows(SpeechException.class,
                () -> new FestivalSynthesizer(hanging.toString(), Duration.ofSeconds(3)).speak("Hello."));
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertEquals("speech.timeout", e.code());
        assertTrue(tookMs < 20_000, "stopped, not waited out: " + tookMs + " ms");
        long pid = Long.parseLong(Files.readString(temp.resolve("pid")).strip());
        long child = Long.parseLong(Files.readString(temp.resolve("child")).strip());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the process was killed");
        for (int i = 0; i < 50 && ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false); i++) {
            Thread.sleep(100); // the kill signal is delivered asynchronously
        }
        assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "and its child too");
    }

    @Test
    void a_lot_of_output_on_standard_error_does_not_block_the_engine() throws Exception {
        Path wav = temp.resolve("tone.wav");
        Files.write(wav, new Pcm16(32000, Signals.tone(440, 32000, 16000, 8000)).toWav());
        // more than any pipe buffer on stderr before the audio: an undrained stderr would deadlock here
        Path noisy = script("noisy", "cat >/dev/null; head -c 3000000 /dev/zero | tr '\\0' 'x' >&2; cat " + wav);

        Pcm16 audio = new FestivalSynthesizer(noisy.toString(), Duration.ofSeconds(20)).speak("Hello.");

        assertEquals(16000, audio.samples().length);
    }

    @Test
    void the_text_reaches_the_engine_on_standard_input_as_one_line_and_the_voice_as_an_argument() throws Exception {
        Path wav = temp.resolve("tone.wav");
        Files.write(wav, new Pcm16(32000, new short[320]).toWav());
        Path recorder = script("recorder", "printf '%s\\n' \"$@\" > " + temp.resolve("args") + "; cat > "
                + temp.resolve("stdin") + "; cat " + wav);

        new FestivalSynthesizer(recorder.toString(), Duration.ofSeconds(5)).speak("Line one.\nLine; two $(x)");

        assertEquals("-eval\n(voice_cmu_us_slt_arctic_hts)\n", Files.readString(temp.resolve("args")));
        assertEquals("Line one. Line; two $(x)\n", Files.readString(temp.resolve("stdin")));
    }

    private Path script(String name, String body) throws Exception {
        Path script = temp.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
