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
}
