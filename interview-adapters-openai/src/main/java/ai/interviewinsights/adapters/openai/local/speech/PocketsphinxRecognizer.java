package ai.interviewinsights.adapters.openai.local.speech;

import ai.interviewinsights.adapters.openai.media.Pcm16;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Recognises speech with CMU {@code pocketsphinx_continuous -infile} and its US English model (Debian packages
 * {@code pocketsphinx} and {@code pocketsphinx-en-us}): about 0.7 s of work for 5 s of audio on these machines.
 *
 * <p>The engine reads 16 kHz mono 16-bit WAV files only (at 32 kHz it silently hears nothing), so the audio is
 * resampled to 16 kHz and written to a temporary file readable only by this user, which is deleted afterwards
 * whatever happens. The engine prints one hypothesis line per utterance it finds on standard output (its log goes
 * to standard error); the lines are joined, lower-cased and cleaned of filler and noise markers. Thread-safe: each
 * call runs its own process.
 */
public final class PocketsphinxRecognizer implements SpeechRecognizer {

    /** The only rate the engine's model accepts. */
    public static final int RATE = 16_000;
    /** The longest audio recognised in one call (an answer, not a lecture). */
    public static final Duration MAX_AUDIO = Duration.ofMinutes(5);

    private static final Pattern UTTERANCE_PREFIX = Pattern.compile("^\\d{6,}:\\s*");
    private static final Pattern MARKER = Pattern.compile("<[^>]*>|\\[[^]]*]|\\(\\d+\\)");

    private final String executable;
    private final Duration baseTimeout;
    private final Path tempDirectory;

    /** {@code pocketsphinx_continuous} from the PATH; temporary files in the system's temporary directory. */
    public PocketsphinxRecognizer() {
        this("pocketsphinx_continuous", Duration.ofSeconds(20), Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * @param executable    the {@code pocketsphinx_continuous} program (a name on the PATH or a path)
     * @param baseTimeout   how long a call may take beyond twice the audio's own duration
     * @param tempDirectory where the temporary WAV files go
     */
    public PocketsphinxRecognizer(String executable, Duration baseTimeout, Path tempDirectory) {
        this.executable = Objects.requireNonNull(executable, "executable");
        this.baseTimeout = Objects.requireNonNull(baseTimeout, "baseTimeout");
        this.tempDirectory = Objects.requireNonNull(tempDirectory, "tempDirectory");
        if (baseTimeout.isNegative() || baseTimeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive");
        }
    }

    @Override
    public String recognize(Pcm16 audio) throws SpeechException {
        if (audio == null) {
            throw new SpeechException("speech.invalid_input", "there is no audio to recognise");
        }
        if (audio.durationMillis() > MAX_AUDIO.toMillis()) {
            throw new SpeechException("speech.invalid_input", "the audio is " + audio.durationMillis() / 1000
                    + " s long; at most " + MAX_AUDIO.toSeconds() + " s are recognised in one call");
        }
        if (audio.samples().length == 0) {
            return "";
        }
        Pcm16 input = audio.resampledTo(RATE);
        Path wav = null;
        try {
            try {
                wav = Files.createTempFile(tempDirectory, "interview-asr-", ".wav",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(wav, input.toWav());
            } catch (IOException | UnsupportedOperationException e) {
                throw new SpeechException("speech.engine_failed", "the audio could not be handed to pocketsphinx: "
                        + e.getMessage(), e);
            }
            Duration timeout = baseTimeout.plusMillis(2 * input.durationMillis());
            EngineProcess.Result result = EngineProcess.run("pocketsphinx",
                    List.of(executable, "-infile", wav.toString()), new byte[0], timeout);
            if (result.exitCode() != 0) {
                throw new SpeechException("speech.engine_failed", "pocketsphinx failed (exit " + result.exitCode()
                        + ")" + lastError(result.stderrTail()));
            }
            return hypothesis(new String(result.stdout(), java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            if (wav != null) {
                try {
                    Files.deleteIfExists(wav);
                } catch (IOException e) {
                    // Nothing more can be done; the directory is the system's temporary one.
                }
            }
        }
    }

    /** The words of the engine's hypothesis lines, lower case, single-spaced, without markers. */
    static String hypothesis(String stdout) {
        List<String> words = new ArrayList<>();
        for (String line : stdout.split("\\R")) {
            String text = UTTERANCE_PREFIX.matcher(line.strip()).replaceFirst("");
            if (text.startsWith("INFO:") || text.startsWith("ERROR:") || text.startsWith("WARN")) {
                continue;
            }
            text = MARKER.matcher(text).replaceAll(" ").toLowerCase(Locale.ROOT);
            for (String word : text.split("\\s+")) {
                if (!word.isBlank()) {
                    words.add(word);
                }
            }
        }
        return String.join(" ", words);
    }

    private static String lastError(String stderr) {
        return stderr.lines().filter(line -> line.contains("ERROR")).reduce((a, b) -> b)
                .map(line -> ": " + line).orElse("");
    }

    @Override
    public String toString() {
        return "PocketsphinxRecognizer[" + executable + "]";
    }
}
