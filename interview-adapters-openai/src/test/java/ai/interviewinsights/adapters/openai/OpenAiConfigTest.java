package ai.interviewinsights.adapters.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The configuration's defaults and the mistakes it refuses. */
class OpenAiConfigTest {

    static final Secret KEY = Secret.of(OpenAiTesting.FAKE_KEY);

    @Test
    void defaults_point_at_openai_with_production_timings() {
        OpenAiConfig config = OpenAiConfig.defaults(KEY);

        assertEquals(URI.create("https://api.openai.com"), config.baseUrl());
        assertEquals("gpt-6.1-terra", config.evaluationModel(), "gpt-5-mini's replacement on OpenAI's deprecations page");
        assertEquals(4, config.retry().maxAttempts());
        assertEquals(Duration.ofSeconds(15), config.relayBudget());
        assertEquals(Duration.ofMinutes(60), config.sideband().giveUpAfter());
        assertEquals(Optional.empty(), config.safetyIdentifierKey());
        assertFalse(config.toString().contains(OpenAiTesting.FAKE_KEY), config.toString());
    }

    @Test
    void a_base_url_with_a_path_prefix_is_kept_and_v1_appended() {
        OpenAiConfig config = OpenAiConfig.defaults(KEY).withBaseUrl(URI.create("https://proxy.example/openai"));

        try (OpenAiAdapters adapters = OpenAiAdapters.create(config, java.time.Clock.systemUTC())) {
            assertTrue(adapters.toString().contains("https://proxy.example/openai"));
        }
        OpenAiHttp http = new OpenAiHttp(new okhttp3.OkHttpClient(), okhttp3.HttpUrl.get(config.baseUrl()), KEY,
                config.retry(), config.callTimeout(), null, java.time.Clock.systemUTC());
        assertEquals("https://proxy.example/openai/v1/realtime/calls/rtc_1/hangup",
                http.url("realtime", "calls", "rtc_1", "hangup").toString());
    }

    @Test
    void unusable_values_are_refused() {
        OpenAiConfig config = OpenAiConfig.defaults(KEY);

        assertThrows(IllegalArgumentException.class, () -> config.withBaseUrl(URI.create("ftp://api.openai.com")));
        assertThrows(IllegalArgumentException.class,
                () -> config.withBaseUrl(URI.create("https://user:pass@api.openai.com")));
        assertThrows(IllegalArgumentException.class, () -> config.withBaseUrl(URI.create("https://api.openai.com?x=1")));
        assertThrows(IllegalArgumentException.class,
                () -> config.withTimeouts(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> config.withRelayBudget(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> config.withEvaluation(" ", Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new OpenAiConfig.Retry(0, Duration.ofMillis(1),
                Duration.ofMillis(1), 0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new OpenAiConfig.Retry(3, Duration.ofSeconds(2),
                Duration.ofSeconds(1), 0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new OpenAiConfig.Retry(3, Duration.ofSeconds(1),
                Duration.ofSeconds(2), 1.0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new OpenAiConfig.Reconnect(Duration.ofSeconds(1),
                Duration.ofMillis(1), Duration.ofMinutes(1), Duration.ofSeconds(20)));
    }

    @Test
    void one_attempt_means_no_retry() {
        assertEquals(1, OpenAiConfig.Retry.none().maxAttempts());
    }
}
