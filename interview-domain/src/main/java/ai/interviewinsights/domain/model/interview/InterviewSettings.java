package ai.interviewinsights.domain.model.interview;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.Require;
import java.time.Duration;

/**
 * How one interview is conducted. Build it through {@link SettingsCatalog#resolve(SettingsRequest)}, which checks
 * voice and models against the configured catalogs; this record only checks what holds for any catalog.
 *
 * <p>{@code temperature} is kept because the platform's documented API accepts it, but the GA Realtime API has no
 * temperature parameter: it is stored with the session and never sent to OpenAI.
 *
 * @param voice              the interviewer's voice, as OpenAI names it
 * @param language           the interview's language; the candidate's speech is transcribed in it
 * @param temperature        accepted for API compatibility, 0.0 to 2.0, or {@code null}; not sent (see above)
 * @param model              the Realtime model
 * @param transcriptionModel the model that transcribes the candidate
 * @param maxDuration        the interview's time budget; at most 60 minutes, OpenAI's cap on a Realtime session
 * @param architecture       hybrid (SDP relay, the default) or proxy
 */
public record InterviewSettings(String voice, LanguageTag language, Double temperature, String model,
                                String transcriptionModel, Duration maxDuration, Architecture architecture) {

    public static final Duration DEFAULT_MAX_DURATION = Duration.ofMinutes(30);
    public static final Duration MAX_DURATION_CAP = Duration.ofMinutes(60);
    public static final Duration MIN_DURATION = Duration.ofMinutes(1);

    public InterviewSettings {
        Require.text(voice, "voice", 64);
        Require.present(language, "language");
        Require.text(model, "model", 64);
        Require.text(transcriptionModel, "transcription_model", 64);
        Require.present(maxDuration, "max_duration");
        Require.present(architecture, "architecture");
        if (temperature != null && (temperature.isNaN() || temperature < 0.0 || temperature > 2.0)) {
            throw DomainException.invalid("invalid.temperature", "temperature must be between 0.0 and 2.0");
        }
        if (maxDuration.compareTo(MIN_DURATION) < 0 || maxDuration.compareTo(MAX_DURATION_CAP) > 0) {
            throw DomainException.invalid("invalid.max_duration",
                    "max_duration must be between 1 and 60 minutes (OpenAI ends a Realtime session after 60)");
        }
    }
}
