package ai.interviewinsights.adapters.openai.local.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which engines are there, and what the endpoint announces. */
class OfflineVoiceTest {

    @TempDir
    Path temp;

    @Test
    void on_this_machine_both_engines_are_found_and_a_voice_interview_is_announced() {
        OfflineVoice voice = Engines.require();

        assertTrue(voice.speaks());
        assertTrue(voice.hears());
        assertEquals("offline voice (festival + pocketsphinx)", voice.description());
    }

    @Test
    void without_the_engines_it_is_text_mode_and_says_what_to_install() {
        OfflineVoice voice = OfflineVoice.detect("", temp.resolve("voice"), temp.resolve("model"));

        assertFalse(voice.speaks());
        assertFalse(voice.hears());
        assertEquals("text mode: install festival festvox-us-slt-hts pocketsphinx pocketsphinx-en-us",
                voice.description());
    }

    @Test
    void a_program_without_its_voice_or_model_does_not_count_and_half_a_voice_is_said_plainly() throws Exception {
        Path bin = Files.createDirectory(temp.resolve("bin"));
        program(bin.resolve("text2wave"));
        program(bin.resolve("pocketsphinx_continuous"));
        Path voiceDir = Files.createDirectory(temp.resolve("voice"));

        OfflineVoice speaksOnly = OfflineVoice.detect(temp.resolve("elsewhere") + ":" + bin, voiceDir,
                temp.resolve("no-model"));
        OfflineVoice noData = OfflineVoice.detect(bin.toString(), temp.resolve("no-voice"), temp.resolve("no-model"));

        assertTrue(speaksOnly.speaks());
        assertFalse(speaksOnly.hears());
        assertEquals("interviewer speaks (festival), candidate types: install pocketsphinx pocketsphinx-en-us",
                speaksOnly.description());
        assertFalse(noData.speaks() || noData.hears(), noData.description());
    }

    @Test
    void a_file_that_is_not_executable_is_not_an_engine() throws Exception {
        Path bin = Files.createDirectory(temp.resolve("bin"));
        Files.writeString(bin.resolve("text2wave"), "not a program");
        Path voiceDir = Files.createDirectory(temp.resolve("voice"));

        assertFalse(OfflineVoice.detect(bin.toString(), voiceDir, voiceDir).speaks());
    }

    private static void program(Path path) throws Exception {
        Files.writeString(path, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
    }
}
