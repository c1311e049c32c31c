package ai.interviewinsights.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The web client's settings: defaults, and a bad value reported by name with the rest of the configuration. */
class WebSettingsTest {

    @Test
    void defaults_are_api_videos_part_size_and_no_magic_link() {
        WebSettings s = WebSettings.from(new Env(Map.of()));
        assertEquals(5 * 1024 * 1024, s.recordingPartBytes());
        assertEquals(Optional.empty(), s.supabaseAnonKey());
        assertEquals(Optional.of("anon"), WebSettings.from(new Env(Map.of("SUPABASE_ANON_KEY", "anon")))
                .supabaseAnonKey());
    }

    @Test
    void a_part_size_out_of_range_is_reported_by_name() {
        for (String bad : new String[] {"12", "lots", "999999999999"}) {
            Env env = new Env(Map.of("RECORDING_PART_BYTES", bad));
            WebSettings.from(env);
            ConfigurationException e = assertThrows(ConfigurationException.class, env::requireValid);
            assertTrue(e.getMessage().contains("RECORDING_PART_BYTES"), e.getMessage());
        }
    }

    @Test
    void recordings_play_from_api_videos_delivery_hosts_unless_told_otherwise() {
        assertEquals(java.util.List.of("https://vod.api.video", "https://cdn.api.video"),
                WebSettings.from(new Env(Map.of())).recordingMediaOrigins());
        assertEquals(java.util.List.of("https://media.example.com", "https://127.0.0.1:8443"), WebSettings.from(
                new Env(Map.of("RECORDING_MEDIA_ORIGINS", "https://media.example.com, https://127.0.0.1:8443")))
                .recordingMediaOrigins());
    }

    @Test
    void a_media_origin_that_is_not_exactly_an_https_origin_is_reported_by_name() {
        // Each could widen or break the pages' media-src: plain http, a path, a wildcard, a policy keyword.
        for (String bad : new String[] {"http://vod.api.video", "https://vod.api.video/vod", "https://*",
                "https://a.example; script-src *", "'unsafe-inline'", "https://user@host.example"}) {
            Env env = new Env(Map.of("RECORDING_MEDIA_ORIGINS", bad));
            WebSettings.from(env);
            ConfigurationException e = assertThrows(ConfigurationException.class, env::requireValid, bad);
            assertTrue(e.getMessage().contains("RECORDING_MEDIA_ORIGINS"), e.getMessage());
        }
    }

    @Test
    void oauth_providers_are_plain_names_or_reported_by_name() {
        assertEquals(java.util.List.of(), WebSettings.from(new Env(Map.of())).oauthProviders());
        assertEquals(java.util.List.of("github", "linkedin_oidc"), WebSettings.from(new Env(Map.of(
                "SUPABASE_OAUTH_PROVIDERS", "github, linkedin_oidc"))).oauthProviders());
        Env env = new Env(Map.of("SUPABASE_OAUTH_PROVIDERS", "github&redirect_to=https://evil.example"));
        WebSettings.from(env);
        ConfigurationException e = assertThrows(ConfigurationException.class, env::requireValid);
        assertTrue(e.getMessage().contains("SUPABASE_OAUTH_PROVIDERS"), e.getMessage());
    }
}
