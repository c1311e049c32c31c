package ai.interviewinsights.adapters.apivideo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.Secret;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ApiVideoConfigTest {

    private static final Secret KEY = Secret.of("av_key_CONFIG_check");

    @Test
    void production_and_sandbox_defaults() {
        ApiVideoConfig production = ApiVideoConfig.production(KEY);
        assertEquals(URI.create("https://ws.api.video"), production.baseUrl());
        assertTrue(production.privateVideos());
        assertTrue(production.webhookSigningSecret().isEmpty());
        assertEquals(URI.create("https://sandbox.api.video"), ApiVideoConfig.sandbox(KEY).baseUrl());
    }

    @Test
    void the_key_travels_only_over_https_or_to_a_local_test_server() {
        ApiVideoConfig production = ApiVideoConfig.production(KEY);
        assertThrows(IllegalArgumentException.class, () -> production.withBaseUrl(URI.create("http://ws.api.video")));
        assertThrows(IllegalArgumentException.class, () -> production.withBaseUrl(URI.create("ftp://localhost")));
        assertEquals("localhost", production.withBaseUrl(URI.create("http://localhost:8080")).baseUrl().getHost());
    }

    @Test
    void limits_are_checked() {
        ApiVideoConfig production = ApiVideoConfig.production(KEY);
        assertThrows(IllegalArgumentException.class, () -> production.withTimeouts(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> production.withRetries(-1, Duration.ofMillis(1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> production.withRetries(11, Duration.ofMillis(1), Duration.ofSeconds(1)));
    }

    @Test
    void printing_a_config_shows_no_secret() {
        String text = ApiVideoConfig.production(KEY).withWebhookSecret(Secret.of("sig_sec_CONFIG_check")).toString();
        assertFalse(text.contains("av_key_CONFIG_check"), text);
        assertFalse(text.contains("sig_sec_CONFIG_check"), text);
    }
}
