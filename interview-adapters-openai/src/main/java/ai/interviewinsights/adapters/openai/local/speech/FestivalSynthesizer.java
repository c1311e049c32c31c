package ai.interviewinsights.adapters.openai.local.speech;

import ai.interviewinsights.adapters.openai.media.Pcm16;

/**
 * Speaks with Festival's {@code text2wave} and the HTS voice {@code cmu_us_slt_arctic_hts} (Debian packages
 * {@code festival} and {@code festvox-us-slt-hts}), 32 kHz mono. The text goes to the process's standard input,
 * never through a shell.
 */
public final class FestivalSynthesizer implements SpeechSynthesizer {

    @Override
    public Pcm16 speak(String text) throws SpeechException {
        throw new UnsupportedOperationException("not yet");
    }
}
