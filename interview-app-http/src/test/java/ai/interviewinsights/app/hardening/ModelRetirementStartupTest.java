package ai.interviewinsights.app.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.ControlPlaneApp;
import ai.interviewinsights.app.config.ConfigurationException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The control plane warns about configured models near their shutdown and refuses to start with one past it. */
class ModelRetirementStartupTest {

    private static Map<String, String> env(String... pairs) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("PORT", "0", "HOST", "127.0.0.1", "LOG_FORMAT", "text",
                "DATA_DIR", Files.createTempDirectory("ii-models-").toString()));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private static Clock on(String day) {
        return Clock.fixed(Instant.parse(day + "T09:00:00Z"), ZoneOffset.UTC);
    }

    @Test
    void within_60_days_of_a_shutdown_the_app_starts_and_warns() throws Exception {
        try (ControlPlaneApp app = ControlPlaneApp.start(env("REALTIME_MODEL", "gpt-realtime",
                "OPENAI_EVALUATION_MODEL", "gpt-5-mini"), on("2026-11-28"))) {
            assertTrue(app.modelWarnings().stream().anyMatch(w -> w.startsWith("REALTIME_MODEL:")
                    && w.contains("2027-01-20") && w.contains("gpt-realtime-2.1")), app.modelWarnings().toString());
            assertTrue(app.modelWarnings().stream().anyMatch(w -> w.startsWith("OPENAI_EVALUATION_MODEL:")),
                    "gpt-5-mini shuts down on 2026-12-11: " + app.modelWarnings());
        }
    }

    @Test
    void the_defaults_say_nothing_now_nor_after_gpt_5_minis_shutdown() throws Exception {
        for (String day : new String[] {"2026-11-28", "2026-12-12"}) {
            try (ControlPlaneApp app = ControlPlaneApp.start(env("OPENAI_API_KEY",
                    "sk-test-model-retirement-0123456789abcdefghij", "OPENAI_BASE_URL", "http://127.0.0.1:9"), on(day))) {
                assertEquals(java.util.List.of(), app.modelWarnings(), day);
            }
        }
    }

    @Test
    void past_the_shutdown_a_configured_realtime_model_is_refused() throws Exception {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ControlPlaneApp.start(
                env("REALTIME_MODEL", "gpt-realtime", "REALTIME_TRANSCRIPTION_MODEL", "gpt-4o-transcribe"),
                on("2027-03-01")));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("REALTIME_MODEL: OpenAI shut 'gpt-realtime' down on 2027-01-20"));
        assertTrue(e.getMessage().contains("REALTIME_TRANSCRIPTION_MODEL: OpenAI shut 'gpt-4o-transcribe' down"));
    }

    @Test
    void a_retired_evaluation_model_is_refused_only_when_it_would_be_called() throws Exception {
        try (ControlPlaneApp app = ControlPlaneApp.start(env("OPENAI_EVALUATION_MODEL", "gpt-5-mini"),
                on("2026-12-12"))) {
            assertTrue(app.modelWarnings().stream().anyMatch(w -> w.startsWith("OPENAI_EVALUATION_MODEL:")));
        }
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ControlPlaneApp.start(
                env("OPENAI_API_KEY", "sk-test-model-retirement-0123456789abcdefghij",
                        "OPENAI_BASE_URL", "http://127.0.0.1:9", "OPENAI_EVALUATION_MODEL", "gpt-5-mini"),
                on("2026-12-12")));
        assertTrue(e.getMessage().contains("OPENAI_EVALUATION_MODEL: OpenAI shut 'gpt-5-mini' down on 2026-12-11"),
                e.getMessage());
    }
}
