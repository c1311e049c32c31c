package ai.interviewinsights.adapters.openai.local.speech;

import java.util.Optional;

/**
 * The offline speech engines found on this machine, and a sentence saying what that means for an interview:
 * both engines give a voice interview, none gives text mode (the candidate types).
 */
public record OfflineVoice(Optional<SpeechSynthesizer> synthesizer, Optional<SpeechRecognizer> recognizer,
                           String description) {

    /** Looks for the engines on the PATH. */
    public static OfflineVoice detect() {
        throw new UnsupportedOperationException("not yet");
    }

    /** The interviewer can speak. */
    public boolean speaks() {
        return synthesizer.isPresent();
    }

    /** The candidate's audio can be transcribed. */
    public boolean hears() {
        return recognizer.isPresent();
    }
}
