package ai.interviewinsights.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigurationTest {

    /** The control plane's settings from these variables, every problem at once (also ProxyReconnectSettingsTest). */
    static ControlPlaneSettings controlPlane(Map<String, String> values) {
        Env env = new Env(values);
        ControlPlaneSettings settings = ControlPlaneSettings.from(env);
        env.requireValid();
        return settings;
    }

    @Test
    void nothing_configured_means_every_local_default() {
        ControlPlaneSettings s = controlPlane(Map.of("DATA_DIR", "/tmp/ii-test"));
        assertEquals(8080, s.server().port());
        assertEquals("127.0.0.1", s.server().host());
        assertTrue(s.database().url().isEmpty());
        assertFalse(s.usesSupabaseAuth());
        assertEquals(7, s.defaultsInForce().size(), String.join("\n", s.defaultsInForce()));
    }

    @Test
    void every_problem_is_reported_at_once_each_naming_its_variable() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> controlPlane(Map.of(
                "PORT", "eighty", "DATABASE_URL", "mysql://x", "FLY_API_TOKEN", "fm2_secretvalue",
                "LOG_FORMAT", "xml", "SUPABASE_JWT_SECRET", "short")));
        String message = e.getMessage();
        for (String variable : new String[] {"PORT", "DATABASE_URL", "FLY_ORG_SLUG", "FLY_RUNNER_IMAGE",
                "LOG_FORMAT", "SUPABASE_JWT_SECRET", "SESSION_TOKEN_SECRET", "ENCRYPTION_MASTER_KEY"}) {
            assertTrue(message.contains(variable), variable + " missing from:\n" + message);
        }
        assertFalse(message.contains("fm2_secretvalue"), "a secret value leaked into the message");
        assertFalse(message.contains("short"), "a secret value leaked into the message");
    }

    @Test
    void an_invalid_encryption_master_key_is_reported_by_name_without_its_value() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> controlPlane(Map.of(
                "ENCRYPTION_MASTER_KEY", "not-a-keyset-but-a-secret-value-9f8e7d")));
        assertTrue(e.getMessage().contains("ENCRYPTION_MASTER_KEY"), e.getMessage());
        assertFalse(e.getMessage().contains("9f8e7d"), "the value leaked: " + e.getMessage());
    }

    @Test
    void the_client_ip_header_is_unset_by_default_and_must_be_a_header_name() {
        assertEquals(java.util.Optional.empty(), controlPlane(Map.of()).server().clientIpHeader());
        assertEquals(java.util.Optional.of("Fly-Client-IP"), controlPlane(Map.of("CLIENT_IP_HEADER", "Fly-Client-IP"))
                .server().clientIpHeader());
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> controlPlane(Map.of("CLIENT_IP_HEADER", "Fly Client: IP")));
        assertTrue(e.getMessage().contains("CLIENT_IP_HEADER"), e.getMessage());
    }

    @Test
    void the_key_cache_lifetime_defaults_to_a_minute_may_be_zero_and_is_bounded() {
        assertEquals(java.time.Duration.ofSeconds(60), controlPlane(Map.of()).database().encryptionKeyCache());
        assertEquals(java.time.Duration.ZERO, controlPlane(Map.of("ENCRYPTION_KEY_CACHE_SECONDS", "0"))
                .database().encryptionKeyCache());
        for (String bad : new String[] {"-1", "3601", "soon"}) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> controlPlane(Map.of("ENCRYPTION_KEY_CACHE_SECONDS", bad)));
            assertTrue(e.getMessage().contains("ENCRYPTION_KEY_CACHE_SECONDS"), e.getMessage());
        }
    }

    @Test
    void a_supabase_database_url_becomes_jdbc_with_its_credentials() {
        ControlPlaneSettings s = controlPlane(Map.of(
                "DATABASE_URL", "postgresql://app_user:p%40ss@db.example.supabase.co:6543/postgres?sslmode=require",
                "SESSION_TOKEN_SECRET", "0123456789abcdef0123456789abcdef",
                "ENCRYPTION_MASTER_KEY", ai.interviewinsights.adapters.supabase.MasterKey.generate().export().reveal()));
        DatabaseUrl db = s.database().url().orElseThrow();
        assertEquals("jdbc:postgresql://db.example.supabase.co:6543/postgres?sslmode=require", db.jdbcUrl());
        assertEquals("app_user", db.user());
        assertEquals("p@ss", db.password().reveal());
        assertFalse(db.toString().contains("p@ss"));
    }

    @Test
    void a_runner_needs_its_session_and_tokens() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> RunnerSettings.from(new Env(Map.of("SESSION_ID", "nope"))));
        for (String variable : new String[] {"SESSION_ID", "TENANT_ID", "RUNNER_TOKEN", "CLIENT_TOKEN_KEY",
                "CONTROL_PLANE_URL"}) {
            assertTrue(e.getMessage().contains(variable), variable + " missing from:\n" + e.getMessage());
        }
    }

    /**
     * Issue 15, item 3: grouping the settings by integration changed no variable. Every variable the README's table
     * documents is still read (INTERVIEW_MODE by {@code Main}, before any settings), and the defaults are the table's.
     */
    @Test
    void every_documented_variable_is_still_read() throws Exception {
        java.util.List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("..", "README.md"));
        int start = lines.indexOf("| variable | meaning | default |");
        assertTrue(start > 0, "the README's table of variables");
        java.util.Set<String> documented = new java.util.TreeSet<>();
        for (String line : lines.subList(start + 2, lines.size())) {
            if (!line.startsWith("|")) {
                break;
            }
            java.util.regex.Matcher name = java.util.regex.Pattern.compile("`([A-Z][A-Z0-9_]+)`")
                    .matcher(line.split("\\|")[1]);
            while (name.find()) {
                documented.add(name.group(1));
            }
        }
        assertTrue(documented.size() > 30, "the table was read: " + documented);
        assertTrue(documented.remove("INTERVIEW_MODE"), "read by Main to choose the role");
        Env env = new Env(Map.of("DATA_DIR", "/tmp/ii-test"));
        ControlPlaneSettings.from(env);
        java.util.Set<String> unread = new java.util.TreeSet<>(documented);
        unread.removeAll(env.namesRead());
        assertTrue(unread.isEmpty(), "documented but no longer read: " + unread);
    }

    @Test
    void every_group_keeps_its_defaults() {
        ControlPlaneSettings s = controlPlane(Map.of("DATA_DIR", "/tmp/ii-test"));
        assertEquals("json", s.server().logFormat());
        assertEquals(java.net.URI.create("http://127.0.0.1:8080"), s.server().publicUrl());
        assertFalse(s.server().publicUrlConfigured());
        assertEquals(java.util.List.of(), s.server().corsOrigins());
        assertEquals(10, s.database().poolSize());
        assertEquals("Local Company", s.auth().defaultTenantName());
        assertEquals(java.net.URI.create("https://api.openai.com"), s.openAi().baseUrl());
        assertEquals(ai.interviewinsights.adapters.openai.OpenAiConfig.DEFAULT_EVALUATION_MODEL,
                s.openAi().evaluationModel());
        assertTrue(s.openAi().localRealtimeAllowed());
        assertEquals(java.net.URI.create("https://api.machines.dev"), s.fly().apiUrl());
        assertEquals(java.util.List.of("iad"), s.fly().regions());
        assertEquals("wss://{app}.fly.dev/ws?instance={machine}", s.fly().endpointTemplate());
        assertEquals(java.net.URI.create("https://ws.api.video"), s.apiVideo().baseUrl());
        assertEquals(30, s.limits().sessionsPerMinutePerTenant());
        assertEquals(java.time.Duration.ofMinutes(15), s.limits().idleTimeout());
        assertEquals(java.time.Duration.ofSeconds(30), s.limits().reaperInterval());
        assertEquals(java.time.Duration.ofSeconds(60), s.limits().reconcileInterval());
        assertEquals(5_242_880, s.web().recordingPartBytes());
        assertTrue(s.metrics().port().isEmpty() && s.metrics().token().isEmpty());
        assertTrue(s.models().realtimeModel().isEmpty());
        assertTrue(s.platform().serviceRoleKey().isEmpty());
        assertFalse(controlPlane(Map.of("LOCAL_REALTIME", "OFF")).openAi().localRealtimeAllowed());
        assertEquals(java.net.URI.create("https://sandbox.api.video"),
                controlPlane(Map.of("APIVIDEO_ENVIRONMENT", "sandbox")).apiVideo().baseUrl());
    }
}
