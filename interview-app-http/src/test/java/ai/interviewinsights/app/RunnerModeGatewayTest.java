package ai.interviewinsights.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.interviewinsights.adapters.openai.proxy.ProxyRealtimeGateway;
import ai.interviewinsights.app.config.Env;
import ai.interviewinsights.app.config.RunnerSettings;
import ai.interviewinsights.app.local.UnconfiguredRealtime;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A runner builds the realtime gateway of its session's architecture, from the launch environment alone. */
class RunnerModeGatewayTest {

    private static Map<String, String> launch(String architecture, boolean key) {
        Map<String, String> env = new HashMap<>(Map.of("SESSION_ID", UUID.randomUUID().toString(),
                "TENANT_ID", UUID.randomUUID().toString(), "RUNNER_TOKEN", "runner-token",
                "CLIENT_TOKEN_KEY", "client-key", "CONTROL_PLANE_URL", "http://127.0.0.1:9",
                "OPENAI_BASE_URL", "http://127.0.0.1:9"));
        if (architecture != null) {
            env.put("ARCHITECTURE", architecture);
        }
        if (key) {
            env.put("OPENAI_API_KEY", "sk-test-0123456789abcdefghijklmnop");
        }
        return env;
    }

    private static RealtimeGateway gateway(Map<String, String> env) {
        return RunnerMode.realtimeGateway(RunnerSettings.from(new Env(env)), Clock.systemUTC(), refused -> { });
    }

    @Test
    void a_proxy_session_gets_the_runners_own_bridge() {
        RealtimeGateway gateway = gateway(launch("proxy", true));
        ProxyRealtimeGateway proxy = assertInstanceOf(ProxyRealtimeGateway.class, gateway);
        // The browser never talks to OpenAI in this architecture: no client secret exists to hand it.
        DomainException e = assertThrows(DomainException.class, () -> proxy.mintClientSecret(
                new RealtimeSessionConfig("Interview.", "marin", "gpt-realtime", "gpt-4o-transcribe", "en",
                        Duration.ofMinutes(30)), Duration.ofMinutes(1)));
        assertEquals("proxy.no_client_secrets", e.code());
        proxy.close();
    }

    @Test
    void a_proxy_runner_bridges_with_the_operators_reconnect_policy() {
        Map<String, String> env = launch("proxy", true);
        assertEquals(ai.interviewinsights.adapters.openai.proxy.ProxyOptions.Reconnect.defaults(),
                RunnerMode.proxyOptions(RunnerSettings.from(new Env(env)), refused -> { }, incident -> { })
                        .reconnect());
        env.putAll(Map.of("PROXY_RECONNECT_ATTEMPTS", "0", "PROXY_RECONNECT_FIRST_BACKOFF_MS", "0",
                "PROXY_RECONNECT_WINDOW_MS", "2000"));
        assertEquals(new ai.interviewinsights.adapters.openai.proxy.ProxyOptions.Reconnect(0, Duration.ZERO,
                        Duration.ofSeconds(2)),
                RunnerMode.proxyOptions(RunnerSettings.from(new Env(env)), refused -> { }, incident -> { })
                        .reconnect());
    }

    @Test
    void a_hybrid_session_and_a_launch_without_an_architecture_get_the_sdp_relay() {
        assertEquals("OpenAiRealtimeGateway", gateway(launch("hybrid", true)).getClass().getSimpleName());
        assertEquals("OpenAiRealtimeGateway", gateway(launch(null, true)).getClass().getSimpleName());
    }

    @Test
    void without_a_key_neither_architecture_can_reach_openai() {
        assertInstanceOf(UnconfiguredRealtime.class, gateway(launch("proxy", false)));
        assertInstanceOf(UnconfiguredRealtime.class, gateway(launch("hybrid", false)));
    }
}
