package ai.interviewinsights.adapters.openai.local.speech;

import ai.interviewinsights.adapters.openai.media.Pcm16;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Speaks with Festival's {@code text2wave} and the HTS voice {@code cmu_us_slt_arctic_hts} (Debian packages
 * {@code festival} and {@code festvox-us-slt-hts}): 32 kHz mono, about a quarter of a second per sentence on these
 * machines, and clear enough that pocketsphinx gets 27 of 28 words of interview sentences right (ADR 0005).
 *
 * <p>The text goes to the process's standard input, never through a shell or into the Scheme expression, so
 * nothing in it is ever evaluated; it is first folded to printable ASCII (the voice has no other letters: accents
 * are dropped, other characters become spaces). The WAV comes back on standard output. Thread-safe: each call runs
 * its own process.
 */
public final class FestivalSynthesizer implements SpeechSynthesizer {

    /** The Debian voice this class is written for. */
    public static final String VOICE = "voice_cmu_us_slt_arctic_hts";
    /** The longest text spoken in one call, in characters (an interviewer's turn is a few sentences). */
    public static final int MAX_TEXT = 2_000;

    private final String executable;
    private final Duration timeout;

    /** {@code text2wave} from the PATH, 30 seconds at most per call. */
    public FestivalSynthesizer() {
        this("text2wave", Duration.ofSeconds(30));
    }

    /**
     * @param executable the {@code text2wave} program (a name on the PATH or a path)
     * @param timeout    how long one call may take before the process is killed
     */
    public FestivalSynthesizer(String executable, Duration timeout) {
        this.executable = Objects.requireNonNull(executable, "executable");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive");
        }
    }

    @Override
    public Pcm16 speak(String text) throws SpeechException {
        String speakable = speakable(text);
        EngineProcess.Result result = EngineProcess.run("festival",
                List.of(executable, "-eval", "(" + VOICE + ")"), (speakable + "\n").getBytes(StandardCharsets.US_ASCII),
                timeout);
        if (result.exitCode() != 0 || result.stdout().length == 0) {
            throw new SpeechException("speech.engine_failed", "festival failed (exit " + result.exitCode() + ")"
                    + detail(result.stderrTail()));
        }
        try {
            return Pcm16.readWav(result.stdout());
        } catch (IllegalArgumentException e) {
            throw new SpeechException("speech.engine_failed", "festival's output is not a usable WAV: "
                    + e.getMessage() + detail(result.stderrTail()), e);
        }
    }

    /** The text as the voice can say it: printable ASCII, one line; rejects empty and overlong text. */
    static String speakable(String text) throws SpeechException {
        if (text == null) {
            throw new SpeechException("speech.invalid_input", "there is no text to speak");
        }
        if (text.length() > MAX_TEXT) {
            throw new SpeechException("speech.invalid_input", "the text to speak is " + text.length()
                    + " characters; at most " + MAX_TEXT + " are spoken in one call");
        }
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        StringBuilder ascii = new StringBuilder(folded.length());
        for (int i = 0; i < folded.length(); i++) {
            char c = folded.charAt(i);
            ascii.append(c >= 0x20 && c < 0x7F ? c : ' ');
        }
        String line = ascii.toString().replaceAll("\\s+", " ").strip();
        if (line.isEmpty() || line.chars().noneMatch(Character::isLetterOrDigit)) {
            throw new SpeechException("speech.invalid_input", "the text has nothing to speak");
        }
        return line;
    }

    private static String detail(String stderr) {
        return stderr.isEmpty() ? "" : ": " + stderr.lines().reduce((a, b) -> b).orElse("");
    }

    @Override
    public String toString() {
        return "FestivalSynthesizer[" + executable + ", " + VOICE + "]";
    }
}
