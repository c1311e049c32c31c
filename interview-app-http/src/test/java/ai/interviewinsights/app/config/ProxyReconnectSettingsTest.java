package ai.interviewinsights.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.openai.proxy.ProxyOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * PROXY_RECONNECT_*: the proxy runner's policy when OpenAI's socket drops mid-call (ADR 0023), checked by the control
 * plane at start and handed to its runners, which read it back the same.
 */
class ProxyReconnectSettingsTest {

    private static ControlPlaneSettings controlPlane(Map<String, String> vars) {
        Map<String, String> env = new HashMap<>(vars);
        env.put("DATA_DIR", "/tmp/ii-test");
        return ConfigurationTest.controlPlane(env);
    }

    @Test
    void without_the_variables_the_policy_is_the_bridges_default() {
        assertEquals(ProxyOptions.Reconnect.defaults(), controlPlane(Map.of()).proxyReconnect().reconnect());
    }

    @Test
    void the_operators_policy_is_read_and_reaches_the_runner_unchanged() {
        ProxyReconnectSettings read = controlPlane(Map.of("PROXY_RECONNECT_ATTEMPTS", "5",
                "PROXY_RECONNECT_FIRST_BACKOFF_MS", "250", "PROXY_RECONNECT_WINDOW_MS", "30000")).proxyReconnect();
        assertEquals(new ProxyOptions.Reconnect(5, Duration.ofMillis(250), Duration.ofSeconds(30)), read.reconnect());

        // What the control plane hands its local runners (Adapters) is what a runner reads back (RunnerSettings).
        Map<String, String> launch = new HashMap<>(Map.of("SESSION_ID", UUID.randomUUID().toString(),
                "TENANT_ID", UUID.randomUUID().toString(), "RUNNER_TOKEN", "runner-token",
                "CLIENT_TOKEN_KEY", "client-key", "CONTROL_PLANE_URL", "http://127.0.0.1:9"));
        launch.putAll(read.environment());
        assertEquals(read, RunnerSettings.from(new Env(launch)).proxyReconnect());

        // Zero attempts: a drop ends the call at once, as before ADR 0023.
        assertEquals(0, controlPlane(Map.of("PROXY_RECONNECT_ATTEMPTS", "0")).proxyReconnect().reconnect()
                .attempts());
    }

    @Test
    void a_value_out_of_range_or_not_a_number_stops_the_start_naming_the_variable() {
        for (Map.Entry<String, String> bad : Map.of("PROXY_RECONNECT_ATTEMPTS", "11",
                "PROXY_RECONNECT_FIRST_BACKOFF_MS", "-1", "PROXY_RECONNECT_WINDOW_MS", "500").entrySet()) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> controlPlane(Map.of(bad.getKey(), bad.getValue())), bad.toString());
            assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
        }
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> controlPlane(Map.of("PROXY_RECONNECT_WINDOW_MS", "ten seconds")));
        assertTrue(e.getMessage().contains("PROXY_RECONNECT_WINDOW_MS must be a whole number"), e.getMessage());
    }
}
