package ai.interviewinsights.domain.model.interview;

import ai.interviewinsights.domain.model.DomainException;
import java.time.Duration;
import java.util.Objects;

/**
 * The known voices and models plus the defaults an operator configured; turns a {@link SettingsRequest} into
 * checked {@link InterviewSettings}.
 */
public record SettingsCatalog(NameCatalog voices, NameCatalog realtimeModels, NameCatalog transcriptionModels,
                              String defaultVoice, LanguageTag defaultLanguage, String defaultModel,
                              String defaultTranscriptionModel, Duration defaultMaxDuration,
                              Architecture defaultArchitecture) {

    public SettingsCatalog {
        Objects.requireNonNull(voices, "voices");
        Objects.requireNonNull(realtimeModels, "realtimeModels");
        Objects.requireNonNull(transcriptionModels, "transcriptionModels");
        defaultVoice = voices.require(defaultVoice);
        Objects.requireNonNull(defaultLanguage, "defaultLanguage");
        defaultModel = realtimeModels.require(defaultModel);
        defaultTranscriptionModel = transcriptionModels.require(defaultTranscriptionModel);
        Objects.requireNonNull(defaultMaxDuration, "defaultMaxDuration");
        Objects.requireNonNull(defaultArchitecture, "defaultArchitecture");
    }

    /** The realtime model interviews use unless told otherwise. */
    public static final String DEFAULT_REALTIME_MODEL = "gpt-realtime-2.1";
    /** The model transcribing the candidate unless told otherwise: OpenAI's streaming transcription model. */
    public static final String DEFAULT_TRANSCRIPTION_MODEL = "gpt-realtime-whisper";

    /** OpenAI's GA names, voice marin, English, gpt-realtime-2.1, gpt-realtime-whisper, 30 minutes, hybrid. */
    public static SettingsCatalog defaults() {
        return new SettingsCatalog(NameCatalog.realtimeVoices(), NameCatalog.realtimeModels(),
                NameCatalog.transcriptionModels(), "marin", LanguageTag.of("en-US"), DEFAULT_REALTIME_MODEL,
                DEFAULT_TRANSCRIPTION_MODEL, InterviewSettings.DEFAULT_MAX_DURATION, Architecture.HYBRID);
    }

    /**
     * Fills what the request left out with the defaults and checks the rest.
     *
     * @throws DomainException {@code invalid.voice}, {@code invalid.language}, {@code invalid.temperature},
     *                         {@code invalid.realtime_model}, {@code invalid.max_duration},
     *                         {@code invalid.architecture}
     */
    public InterviewSettings resolve(SettingsRequest request) {
        SettingsRequest r = request == null ? SettingsRequest.defaults() : request;
        String voice = r.voice() == null ? defaultVoice : voices.require(r.voice());
        LanguageTag language = r.language() == null ? defaultLanguage : LanguageTag.of(r.language());
        String model = r.model() == null ? defaultModel : realtimeModels.require(r.model());
        Duration maxDuration = r.maxDurationMinutes() == null ? defaultMaxDuration
                : Duration.ofMinutes(r.maxDurationMinutes());
        Architecture architecture = r.architecture() == null ? defaultArchitecture
                : Architecture.fromWire(r.architecture());
        return new InterviewSettings(voice, language, r.temperature(), model, defaultTranscriptionModel, maxDuration,
                architecture);
    }
}
