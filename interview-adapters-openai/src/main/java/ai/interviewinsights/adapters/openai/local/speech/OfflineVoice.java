package ai.interviewinsights.adapters.openai.local.speech;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The offline speech engines found on this machine, and a sentence saying what that means for an interview:
 * both engines give a voice interview, none gives text mode (the candidate types), one gives half of each.
 *
 * <p>An engine counts as present when its program is on the PATH and its data is installed where Debian puts it
 * (the voice of {@code festvox-us-slt-hts}, the model of {@code pocketsphinx-en-us}): a program without its data
 * would fail on the first turn of an interview instead of at start-up.
 */
public record OfflineVoice(Optional<SpeechSynthesizer> synthesizer, Optional<SpeechRecognizer> recognizer,
                           String description) {

    /** The Debian packages a voice interview needs, in the order {@code apt-get install} takes them. */
    public static final List<String> PACKAGES = List.of("festival", "festvox-us-slt-hts", "pocketsphinx",
            "pocketsphinx-en-us");

    static final Path FESTIVAL_VOICE = Path.of("/usr/share/festival/voices/us/cmu_us_slt_arctic_hts");
    static final Path POCKETSPHINX_MODEL = Path.of("/usr/share/pocketsphinx/model/en-us/en-us");

    public OfflineVoice {
        Objects.requireNonNull(synthesizer, "synthesizer");
        Objects.requireNonNull(recognizer, "recognizer");
        Objects.requireNonNull(description, "description");
    }

    /** Looks for the engines on this process's PATH. */
    public static OfflineVoice detect() {
        return detect(Optional.ofNullable(System.getenv("PATH")).orElse(""), FESTIVAL_VOICE, POCKETSPHINX_MODEL);
    }

    /** Looks for the engines on the given PATH and their data at the given places (for tests). */
    static OfflineVoice detect(String path, Path festivalVoice, Path pocketsphinxModel) {
        Optional<Path> text2wave = onPath(path, "text2wave").filter(p -> Files.isDirectory(festivalVoice));
        Optional<Path> pocketsphinx = onPath(path, "pocketsphinx_continuous")
                .filter(p -> Files.isDirectory(pocketsphinxModel));
        Optional<SpeechSynthesizer> synthesizer = text2wave.map(p -> new FestivalSynthesizer(p.toString(),
                java.time.Duration.ofSeconds(30)));
        Optional<SpeechRecognizer> recognizer = pocketsphinx.map(p -> new PocketsphinxRecognizer(p.toString(),
                java.time.Duration.ofSeconds(20), Path.of(System.getProperty("java.io.tmpdir"))));
        return new OfflineVoice(synthesizer, recognizer, describe(synthesizer.isPresent(), recognizer.isPresent()));
    }

    /** The interviewer can speak. */
    public boolean speaks() {
        return synthesizer.isPresent();
    }

    /** The candidate's audio can be transcribed. */
    public boolean hears() {
        return recognizer.isPresent();
    }

    private static String describe(boolean speaks, boolean hears) {
        if (speaks && hears) {
            return "offline voice (festival + pocketsphinx)";
        }
        List<String> missing = new ArrayList<>();
        if (!speaks) {
            missing.addAll(PACKAGES.subList(0, 2));
        }
        if (!hears) {
            missing.addAll(PACKAGES.subList(2, 4));
        }
        String install = "install " + String.join(" ", missing);
        if (!speaks && !hears) {
            return "text mode: " + install;
        }
        return speaks ? "interviewer speaks (festival), candidate types: " + install
                : "candidate speaks (pocketsphinx), interviewer writes: " + install;
    }

    private static Optional<Path> onPath(String path, String program) {
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isBlank()) {
                continue;
            }
            Path candidate = Path.of(directory, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
