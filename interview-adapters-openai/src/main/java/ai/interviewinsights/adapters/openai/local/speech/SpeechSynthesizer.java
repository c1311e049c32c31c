package ai.interviewinsights.adapters.openai.local.speech;

import ai.interviewinsights.adapters.openai.media.Pcm16;

/** Turns the interviewer's text into audio, offline. */
public interface SpeechSynthesizer {

    /** The spoken text, at the engine's own rate (resample it for the wire). */
    Pcm16 speak(String text) throws SpeechException;
}
