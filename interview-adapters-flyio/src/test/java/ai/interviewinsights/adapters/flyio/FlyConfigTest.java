package ai.interviewinsights.adapters.flyio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.interview.Architecture;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The configuration's defaults and the mistakes it refuses at start-up rather than at the first interview. */
class FlyConfigTest {

    private static FlyConfig.Builder builder() {
        return FlyConfig.builder(Secret.of("fm2_secret-value"), "acme-hiring", "registry.fly.io/runner:1",
                URI.create("https://control.example.com")).regions("ams");
    }

    @Test
    void defaults_suit_production() {
        FlyConfig config = builder().build();

        assertEquals(URI.create("https://api.machines.dev"), config.baseUrl());
        assertEquals(new FlyConfig.Guest("shared", 1, 1024), config.guest());
        assertEquals(new FlyConfig.Guest("shared", 2, 1024), config.proxyGuest());
        assertEquals(config.guest(), config.guestFor(Architecture.HYBRID));
        assertEquals(config.proxyGuest(), config.guestFor(Architecture.PROXY));
        assertEquals(8080, config.internalPort());
        assertTrue(config.networkPerTenant());
        assertEquals(Duration.ofSeconds(60), config.waitChunk());
        assertEquals(URI.create("wss://interviews-t.fly.dev/ws?instance=m1"), config.endpointFor("interviews-t", "m1"));
        assertEquals(List.of("ams"), config.regions());
    }

    @Test
    void the_internal_api_host_is_accepted() {
        FlyConfig config = builder().baseUrl(URI.create("http://_api.internal:4280")).build();

        assertEquals("http://_api.internal:4280", config.baseUrl().toString());
    }

    @Test
    void its_text_form_hides_the_token() {
        String text = builder().build().toString();

        assertFalse(text.contains("secret-value"), text);
        assertTrue(text.contains("Secret[***]"), text);
    }

    @Test
    void mistakes_are_refused_with_a_reason() {
        assertRefused("region", () -> builder().regions(List.of()).build());
        assertRefused("region", () -> builder().regions("Amsterdam").build());
        assertRefused("memoryMb", () -> builder().guest(new FlyConfig.Guest("shared", 1, 1000)).build());
        assertRefused("cpuKind", () -> builder().guest(new FlyConfig.Guest("dedicated", 1, 1024)).build());
        assertRefused("internalPort", () -> builder().internalPort(0).build());
        assertRefused("waitChunk", () -> builder().waitChunk(Duration.ofSeconds(61)).build());
        assertRefused("endpointTemplate", () -> builder().endpointTemplate("https://{app}.fly.dev/ws").build());
        assertRefused("baseUrl", () -> builder().baseUrl(URI.create("ftp://api.machines.dev")).build());
        assertRefused("orgSlug", () -> FlyConfig.builder(Secret.of("t"), "Acme Hiring", "img",
                URI.create("https://c.example.com")).regions("ams").build());
        assertRefused("maxDelay", () -> new FlyConfig.Retry(3, Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ZERO));
    }

    private static void assertRefused(String mentioned, org.junit.jupiter.api.function.Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(mentioned), e.getMessage());
    }
}
