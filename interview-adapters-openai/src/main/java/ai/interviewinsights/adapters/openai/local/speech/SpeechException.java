package ai.interviewinsights.adapters.openai.local.speech;

/**
 * An offline speech engine could not do its job. The code is stable: {@code speech.engine_missing} (the program
 * could not be started), {@code speech.engine_failed} (it failed or answered nonsense), {@code speech.timeout} (it
 * was killed at its deadline), {@code speech.invalid_input} (nothing to say or hear, or too much),
 * {@code speech.interrupted} (the calling thread was interrupted; the engine was killed). The message says why,
 * with the engine's last error line where it printed one.
 */
public final class SpeechException extends Exception {

    private final String code;

    public SpeechException(String code, String message) {
        super(message);
        this.code = code;
    }

    public SpeechException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
