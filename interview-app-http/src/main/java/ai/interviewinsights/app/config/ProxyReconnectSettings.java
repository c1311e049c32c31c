package ai.interviewinsights.app.config;

import ai.interviewinsights.adapters.openai.proxy.ProxyOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How hard a proxy runner tries to get OpenAI's socket back when it drops mid-call (ADR 0023):
 * {@code PROXY_RECONNECT_ATTEMPTS} (0 to 10; 0: a drop ends the call), {@code PROXY_RECONNECT_FIRST_BACKOFF_MS} (the
 * first wait, doubled after each failure) and {@code PROXY_RECONNECT_WINDOW_MS} (every attempt within this time of
 * the drop). The control plane checks them at start and passes them to its local runners; a Fly runner reads the
 * same variables from its app's environment. Defaults: {@link ProxyOptions.Reconnect#defaults()}.
 */
public record ProxyReconnectSettings(ProxyOptions.Reconnect reconnect) {

    public static final String ATTEMPTS = "PROXY_RECONNECT_ATTEMPTS";
    public static final String FIRST_BACKOFF_MS = "PROXY_RECONNECT_FIRST_BACKOFF_MS";
    public static final String WINDOW_MS = "PROXY_RECONNECT_WINDOW_MS";

    public ProxyReconnectSettings {
        Objects.requireNonNull(reconnect, "reconnect");
    }

    public static ProxyReconnectSettings from(Env env) {
        ProxyOptions.Reconnect defaults = ProxyOptions.Reconnect.defaults();
        int attempts = env.integer(ATTEMPTS, defaults.attempts(), 0, 10);
        int firstBackoff = env.integer(FIRST_BACKOFF_MS, (int) defaults.firstBackoff().toMillis(), 0, 10_000);
        int window = env.integer(WINDOW_MS, (int) defaults.window().toMillis(), 1_000, 120_000);
        return new ProxyReconnectSettings(new ProxyOptions.Reconnect(attempts, Duration.ofMillis(firstBackoff),
                Duration.ofMillis(window)));
    }

    /** The variables that give a runner the same policy. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ATTEMPTS, Integer.toString(reconnect.attempts()));
        env.put(FIRST_BACKOFF_MS, Long.toString(reconnect.firstBackoff().toMillis()));
        env.put(WINDOW_MS, Long.toString(reconnect.window().toMillis()));
        return env;
    }
}
