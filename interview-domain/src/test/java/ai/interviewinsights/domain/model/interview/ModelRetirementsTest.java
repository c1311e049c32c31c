package ai.interviewinsights.domain.model.interview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start-up warns within 60 days of a configured model's shutdown and refuses on and after it. */
class ModelRetirementsTest {

    private final ModelRetirements announced = ModelRetirements.announced();

    private static Map<String, String> configured(String realtime, String transcription) {
        Map<String, String> models = new LinkedHashMap<>();
        models.put("REALTIME_MODEL", realtime);
        models.put("REALTIME_TRANSCRIPTION_MODEL", transcription);
        return models;
    }

    @Test
    void the_defaults_are_models_without_an_announced_shutdown() {
        SettingsCatalog defaults = SettingsCatalog.defaults();
        assertEquals("gpt-realtime-2.1", defaults.defaultModel());
        assertEquals("gpt-realtime-whisper", defaults.defaultTranscriptionModel());
        assertTrue(announced.check(configured(defaults.defaultModel(), defaults.defaultTranscriptionModel()),
                LocalDate.of(2030, 1, 1)).isEmpty());
        assertTrue(defaults.realtimeModels().names().containsAll(List.of("gpt-realtime-2.1", "gpt-realtime-2.1-mini",
                "gpt-realtime-2", "gpt-realtime")));
        assertTrue(defaults.transcriptionModels().names().containsAll(List.of("gpt-realtime-whisper",
                "gpt-transcribe", "gpt-4o-transcribe")));
    }

    @Test
    void more_than_60_days_ahead_nothing_is_said() {
        assertTrue(announced.check(configured("gpt-realtime", "gpt-4o-transcribe"), LocalDate.of(2026, 11, 20))
                .isEmpty());
    }

    @Test
    void within_60_days_a_warning_names_the_setting_the_date_and_the_replacement() {
        List<ModelRetirements.Finding> findings = announced.check(configured("gpt-realtime", "gpt-4o-transcribe"),
                LocalDate.of(2026, 11, 28));
        assertEquals(1, findings.size(), "the transcription model retires 2027-02-26, 90 days away");
        ModelRetirements.Finding f = findings.get(0);
        assertEquals("REALTIME_MODEL", f.setting());
        assertEquals(LocalDate.of(2027, 1, 20), f.shutdown());
        assertEquals(53, f.daysLeft());
        assertFalse(f.refused());
        assertTrue(f.describe().contains("gpt-realtime-2.1"), f.describe());
        assertEquals(2, announced.check(configured("gpt-realtime", "gpt-4o-transcribe"), LocalDate.of(2027, 1, 1))
                .size());
    }

    @Test
    void on_and_after_the_shutdown_it_is_a_refusal() {
        List<ModelRetirements.Finding> onTheDay = announced.check(configured("gpt-realtime", "gpt-realtime-whisper"),
                LocalDate.of(2027, 1, 20));
        assertEquals(1, onTheDay.size());
        assertTrue(onTheDay.get(0).refused());
        assertTrue(onTheDay.get(0).describe().contains("shut 'gpt-realtime' down on 2027-01-20"));
        assertTrue(announced.check(configured("gpt-realtime", "gpt-realtime-whisper"), LocalDate.of(2027, 1, 19))
                .stream().noneMatch(ModelRetirements.Finding::refused));
    }

    @Test
    void a_retired_model_can_no_longer_be_chosen_for_an_interview() {
        NameCatalog live = announced.withoutRetired(NameCatalog.realtimeModels(), LocalDate.of(2027, 1, 20));
        assertFalse(live.contains("gpt-realtime"));
        assertTrue(live.contains("gpt-realtime-2.1"));
        assertTrue(announced.withoutRetired(NameCatalog.realtimeModels(), LocalDate.of(2027, 1, 19))
                .contains("gpt-realtime"));
    }
}
