package ai.interviewinsights.adapters.openai.local.speech;

import ai.interviewinsights.adapters.openai.media.Pcm16;

/** Turns the candidate's audio into text, offline. */
public interface SpeechRecognizer {

    /** The words heard, lower case, or an empty string when nothing was recognised; any sample rate in. */
    String recognize(Pcm16 audio) throws SpeechException;
}
