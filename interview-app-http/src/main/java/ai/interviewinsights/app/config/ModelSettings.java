package ai.interviewinsights.app.config;

import ai.interviewinsights.domain.model.interview.ModelRetirements;
import ai.interviewinsights.domain.model.interview.NameCatalog;
import ai.interviewinsights.domain.model.interview.SettingsCatalog;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which OpenAI models interviews use by default ({@code REALTIME_MODEL}, {@code REALTIME_TRANSCRIPTION_MODEL}),
 * and the start-up check of every configured model against OpenAI's announced shutdowns: a warning within 60 days,
 * a refusal on and after the date. The evaluation model is refused only when an OpenAI key is set (without one it
 * is never called, and the local default must still start).
 */
public record ModelSettings(Optional<String> realtimeModel, Optional<String> transcriptionModel) {

    public static ModelSettings from(Env env) {
        return new ModelSettings(env.optional("REALTIME_MODEL"), env.optional("REALTIME_TRANSCRIPTION_MODEL"));
    }

    /** What the check found: warnings to print; refusals have already been thrown. */
    public record Check(SettingsCatalog catalog, List<String> warnings) {
    }

    /**
     * The catalog to run with: extended with the operator's extra models, without models already shut down, with
     * the configured defaults.
     *
     * @throws ConfigurationException naming each configured model that is unknown or shut down
     */
    public Check apply(SettingsCatalog base, List<String> extraRealtimeModels, String evaluationModel,
                       boolean openAiConfigured, ModelRetirements retirements, LocalDate today) {
        NameCatalog realtime = base.realtimeModels().extendedWith(extraRealtimeModels);
        NameCatalog transcription = base.transcriptionModels();
        String defaultModel = realtimeModel.map(String::strip).orElse(base.defaultModel());
        String defaultTranscription = transcriptionModel.map(String::strip).orElse(base.defaultTranscriptionModel());
        List<String> problems = new ArrayList<>();
        if (!realtime.contains(defaultModel)) {
            problems.add("REALTIME_MODEL: '" + defaultModel + "' is not a known realtime model (add it to"
                    + " REALTIME_EXTRA_MODELS if OpenAI added it after this release)");
        }
        if (!transcription.contains(defaultTranscription)) {
            problems.add("REALTIME_TRANSCRIPTION_MODEL: '" + defaultTranscription + "' is not a known transcription"
                    + " model; known: " + String.join(", ", transcription.names()));
        }
        Map<String, String> configured = new LinkedHashMap<>();
        configured.put("REALTIME_MODEL", defaultModel);
        configured.put("REALTIME_TRANSCRIPTION_MODEL", defaultTranscription);
        configured.put("OPENAI_EVALUATION_MODEL", evaluationModel);
        List<String> warnings = new ArrayList<>();
        for (ModelRetirements.Finding finding : retirements.check(configured, today)) {
            boolean evaluationWithoutKey = finding.setting().equals("OPENAI_EVALUATION_MODEL") && !openAiConfigured;
            if (finding.refused() && !evaluationWithoutKey) {
                problems.add(finding.describe());
            } else {
                warnings.add(finding.describe());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        SettingsCatalog catalog = new SettingsCatalog(base.voices(), retirements.withoutRetired(realtime, today),
                retirements.withoutRetired(transcription, today), base.defaultVoice(), base.defaultLanguage(),
                defaultModel, defaultTranscription, base.defaultMaxDuration(), base.defaultArchitecture());
        return new Check(catalog, List.copyOf(warnings));
    }
}
