package ai.interviewinsights.domain.model.interview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.testing.Fixtures;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InterviewSettingsTest {

    private final SettingsCatalog catalog = SettingsCatalog.defaults();

    @Test
    void defaults_are_marin_english_gpt_realtime_2_1_with_streaming_transcription_30_minutes_hybrid() {
        InterviewSettings s = catalog.resolve(null);
        assertEquals("marin", s.voice());
        assertEquals("en-US", s.language().value());
        assertEquals("gpt-realtime-2.1", s.model());
        assertEquals("gpt-realtime-whisper", s.transcriptionModel());
        assertEquals(Duration.ofMinutes(30), s.maxDuration());
        assertEquals(Architecture.HYBRID, s.architecture());
        assertNull(s.temperature());
    }

    @Test
    void the_design_documents_request_shape_is_accepted() {
        InterviewSettings s = catalog.resolve(new SettingsRequest("alloy", "en-US", 0.7, null, null, null));
        assertEquals("alloy", s.voice());
        assertEquals(0.7, s.temperature());
    }

    @ParameterizedTest
    @CsvSource({"robot,,,,invalid.voice", ",english please,,,invalid.language", ",,2.5,,invalid.temperature",
            ",,,61,invalid.max_duration", ",,,0,invalid.max_duration", ",,,-5,invalid.max_duration"})
    void bad_settings_are_refused_with_a_code(String voice, String language, Double temperature, Integer minutes,
                                              String code) {
        DomainException e = assertThrows(DomainException.class,
                () -> catalog.resolve(new SettingsRequest(voice, language, temperature, null, minutes, null)));
        assertEquals(code, e.code());
    }

    @Test
    void both_architectures_are_accepted_by_their_wire_names_and_anything_else_is_refused() {
        assertEquals(Architecture.PROXY, catalog.resolve(new SettingsRequest(null, null, null, null, null,
                "proxy")).architecture());
        assertEquals(Architecture.PROXY, catalog.resolve(new SettingsRequest(null, null, null, null, null,
                "PROXY")).architecture());
        assertEquals(Architecture.HYBRID, catalog.resolve(new SettingsRequest(null, null, null, null, null,
                "hybrid")).architecture());
        DomainException e = assertThrows(DomainException.class,
                () -> catalog.resolve(new SettingsRequest(null, null, null, null, null, "sfu")));
        assertEquals("invalid.architecture", e.code());
    }

    @Test
    void sixty_minutes_is_the_cap_because_openai_ends_sessions_there() {
        assertEquals(Duration.ofMinutes(60), catalog.resolve(new SettingsRequest(null, null, null, null, 60, null))
                .maxDuration());
    }

    @Test
    void configuration_can_extend_the_known_voices() {
        SettingsCatalog extended = new SettingsCatalog(NameCatalog.realtimeVoices().extendedWith(List.of("nova-2")),
                NameCatalog.realtimeModels(), NameCatalog.transcriptionModels(), "marin", LanguageTag.of("en"),
                "gpt-realtime", "whisper-1", Duration.ofMinutes(20), Architecture.HYBRID);
        assertEquals("nova-2", extended.resolve(new SettingsRequest("Nova-2", null, null, null, null, null)).voice());
        DomainException e = assertThrows(DomainException.class,
                () -> catalog.resolve(new SettingsRequest("nova-2", null, null, null, null, null)));
        assertTrue(e.getMessage().contains("marin"), "the message lists what is accepted: " + e.getMessage());
    }

    @Test
    void language_tags_are_bcp47_and_normalised() {
        assertEquals("pt-BR", LanguageTag.of("pt-br").value());
        assertEquals("pt", LanguageTag.of("pt-BR").primaryLanguage());
        assertEquals("zh-Hant-TW", LanguageTag.of("zh-hant-tw").value());
        assertThrows(DomainException.class, () -> LanguageTag.of("en_US!"));
        assertThrows(DomainException.class, () -> LanguageTag.of(""));
    }

    @Test
    void instructions_name_the_company_the_position_the_competencies_and_the_budget() {
        InterviewContext context = new InterviewContext(Fixtures.tenant(Fixtures.ACME),
                Fixtures.position(Fixtures.ACME), Fixtures.candidate(Fixtures.ACME),
                catalog.resolve(new SettingsRequest(null, "de-DE", null, null, 20, null)));
        String text = context.instructions();
        assertTrue(text.contains("Acme Corp"));
        assertTrue(text.contains("Backend Engineer"));
        assertTrue(text.contains("System design (weight 3)"));
        assertTrue(text.contains("German (de-DE)"));
        assertTrue(text.contains("at most 20 minutes"));
        assertTrue(text.contains("Ada"));
    }
}
