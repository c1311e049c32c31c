package ai.interviewinsights.adapters.openai.local.speech;

/**
 * An offline speech engine could not do its job. The code is stable ({@code speech.engine_missing},
 * {@code speech.engine_failed}, {@code speech.timeout}, {@code speech.invalid_input}); the message says why.
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
