package ai.interviewinsights.adapters.openai.local.speech;

import ai.interviewinsights.adapters.openai.media.Pcm16;

/**
 * Recognises speech with CMU {@code pocketsphinx_continuous -infile} and its US English model (Debian packages
 * {@code pocketsphinx} and {@code pocketsphinx-en-us}); the audio is resampled to 16 kHz and handed over as a
 * temporary WAV file that is deleted afterwards.
 */
public final class PocketsphinxRecognizer implements SpeechRecognizer {

    @Override
    public String recognize(Pcm16 audio) throws SpeechException {
        throw new UnsupportedOperationException("not yet");
    }
}
