package ai.interviewinsights.app.config;

import ai.interviewinsights.domain.model.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything the control plane reads from its environment, checked at once. Each optional integration falls back to
 * a local default when its variables are absent; {@link #defaultsInForce()} says which, for the start-up banner.
 */
public record ControlPlaneSettings(String host, int port, URI publicUrl, boolean publicUrlGiven, Path dataDir, String logFormat,
                                   Optional<DatabaseUrl> database, int databasePoolSize,
                                   Optional<URI> supabaseUrl, Optional<Secret> supabaseJwtSecret,
                                   Optional<Secret> sessionTokenSecret, String defaultTenantName,
                                   Optional<Secret> openAiKey, URI openAiBaseUrl, String evaluationModel,
                                   List<String> extraVoices, List<String> extraRealtimeModels,
                                   Optional<Secret> flyToken, URI flyApiUrl, String flyOrg, String flyImage,
                                   List<String> flyRegions, String flyEndpointTemplate,
                                   Optional<Secret> apiVideoKey, URI apiVideoBaseUrl, Optional<Secret> apiVideoWebhookSecret,
                                   List<String> corsOrigins, int sessionsPerMinutePerTenant, Duration idleTimeout,
                                   Duration reaperInterval, Duration reconcileInterval,
                                   Optional<Secret> encryptionMasterKey, Duration encryptionKeyCache) {

    public static ControlPlaneSettings from(Env env) {
        String host = env.string("HOST", "127.0.0.1");
        int port = env.integer("PORT", 8080, 0, 65535);
        URI publicUrl = env.url("PUBLIC_URL", "http", "https")
                .orElse(URI.create("http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + port));
        Path dataDir = env.path("DATA_DIR", Path.of(System.getProperty("user.home"), ".interview-insights"));
        String logFormat = env.string("LOG_FORMAT", "json");
        if (!logFormat.equals("json") && !logFormat.equals("text")) {
            env.problem("LOG_FORMAT must be json or text");
        }
        Optional<DatabaseUrl> database = env.optional("DATABASE_URL")
                .flatMap(raw -> DatabaseUrl.parse(env, raw, "DATABASE_USER", "DATABASE_PASSWORD"));
        int pool = env.integer("DATABASE_POOL_SIZE", 10, 1, 200);
        Optional<URI> supabaseUrl = env.url("SUPABASE_URL", "https", "http");
        Optional<Secret> jwtSecret = env.secret("SUPABASE_JWT_SECRET");
        jwtSecret.ifPresent(s -> {
            if (s.reveal().length() < 32) {
                env.problem("SUPABASE_JWT_SECRET must be at least 32 characters (Supabase's are 40 or more)");
            }
        });
        if (jwtSecret.isPresent() && supabaseUrl.isEmpty()) {
            env.problem("SUPABASE_URL is required with SUPABASE_JWT_SECRET (it names the tokens' issuer)");
        }
        Optional<Secret> sessionSecret = env.secret("SESSION_TOKEN_SECRET");
        sessionSecret.ifPresent(s -> {
            if (s.reveal().length() < 32) {
                env.problem("SESSION_TOKEN_SECRET must be at least 32 characters");
            }
        });
        if (env.optional("DATABASE_URL").isPresent() && sessionSecret.isEmpty()) {
            // Several control-plane instances must verify each other's session tokens.
            env.problem("SESSION_TOKEN_SECRET is required with DATABASE_URL (every instance must share it)");
        }
        Optional<Secret> openAiKey = env.secret("OPENAI_API_KEY");
        URI openAiBase = env.url("OPENAI_BASE_URL", "https", "http").orElse(URI.create("https://api.openai.com"));
        Optional<Secret> flyToken = env.secret("FLY_API_TOKEN");
        URI flyApi = env.url("FLY_API_URL", "https", "http").orElse(URI.create("https://api.machines.dev"));
        String flyOrg = flyToken.isPresent() ? env.required("FLY_ORG_SLUG", "the Fly organisation of tenant apps")
                : env.string("FLY_ORG_SLUG", "");
        String flyImage = flyToken.isPresent() ? env.required("FLY_RUNNER_IMAGE", "the runner's container image")
                : env.string("FLY_RUNNER_IMAGE", "");
        List<String> regions = env.list("FLY_REGIONS");
        Optional<Secret> apiVideoKey = env.secret("APIVIDEO_API_KEY");
        String apiVideoEnvironment = env.string("APIVIDEO_ENVIRONMENT", "production");
        URI apiVideoBase = switch (apiVideoEnvironment) {
            case "production" -> URI.create("https://ws.api.video");
            case "sandbox" -> URI.create("https://sandbox.api.video");
            default -> {
                env.problem("APIVIDEO_ENVIRONMENT must be production or sandbox");
                yield URI.create("https://ws.api.video");
            }
        };
        apiVideoBase = env.url("APIVIDEO_BASE_URL", "https", "http").orElse(apiVideoBase);
        return new ControlPlaneSettings(host, port, publicUrl, env.optional("PUBLIC_URL").isPresent(), dataDir, logFormat, database, pool, supabaseUrl,
                jwtSecret, sessionSecret, env.string("DEFAULT_TENANT_NAME", "Local Company"), openAiKey, openAiBase,
                env.string("OPENAI_EVALUATION_MODEL", ai.interviewinsights.adapters.openai.OpenAiConfig.DEFAULT_EVALUATION_MODEL), env.list("REALTIME_EXTRA_VOICES"),
                env.list("REALTIME_EXTRA_MODELS"), flyToken, flyApi, flyOrg, flyImage,
                regions.isEmpty() ? List.of("iad") : regions,
                env.string("FLY_ENDPOINT_TEMPLATE", "wss://{app}.fly.dev/ws?instance={machine}"), apiVideoKey, apiVideoBase,
                env.secret("APIVIDEO_WEBHOOK_SECRET"), env.list("CORS_ALLOWED_ORIGINS"),
                env.integer("SESSION_RATE_LIMIT_PER_MINUTE", 30, 1, 100_000),
                Duration.ofMinutes(env.integer("IDLE_TIMEOUT_MINUTES", 15, 1, 24 * 60)),
                env.seconds("REAPER_INTERVAL_SECONDS", Duration.ofSeconds(30), 1, 3600),
                env.seconds("RECONCILE_INTERVAL_SECONDS", Duration.ofSeconds(60), 1, 3600),
                encryptionMasterKey(env),
                // How long unwrapped data keys stay in memory; every instance and operator command must agree.
                env.seconds("ENCRYPTION_KEY_CACHE_SECONDS", ai.interviewinsights.adapters.supabase.SupabaseStore
                        .KEY_CACHE_TTL, 0, ai.interviewinsights.adapters.supabase.SupabaseStore.MAX_KEY_CACHE_TTL
                        .toSeconds()));
    }

    /**
     * The master key that wraps every tenant's data key: required with a database of one's own (every instance
     * must share it, and it must be kept apart from the database's backups); the local default generates one.
     */
    private static Optional<Secret> encryptionMasterKey(Env env) {
        Optional<Secret> key = env.secret("ENCRYPTION_MASTER_KEY");
        if (env.optional("DATABASE_URL").isPresent() && key.isEmpty()) {
            env.problem("ENCRYPTION_MASTER_KEY is required with DATABASE_URL (generate one with"
                    + " 'scripts/run keys generate-master-key'; keep it apart from the database's backups)");
        }
        key.ifPresent(k -> {
            try {
                ai.interviewinsights.adapters.supabase.MasterKey.parse(k);
            } catch (ai.interviewinsights.domain.model.DomainException e) {
                // The adapter's message never contains the value.
                env.problem("ENCRYPTION_MASTER_KEY: " + e.getMessage());
            }
        });
        return key;
    }

    /** Whether PUBLIC_URL was given (otherwise it is derived from HOST and the port actually bound). */
    public boolean publicUrlConfigured() {
        return publicUrlGiven;
    }

    /** True when staff tokens are verified against a real Supabase project rather than the local secret. */
    public boolean usesSupabaseAuth() {
        return supabaseUrl.isPresent() || supabaseJwtSecret.isPresent();
    }

    /** The local defaults in force, in words, for the start-up banner. */
    public List<String> defaultsInForce() {
        List<String> defaults = new ArrayList<>();
        if (database.isEmpty()) {
            defaults.add("DATABASE_URL unset: embedded PostgreSQL with data in " + dataDir.resolve("postgres"));
        }
        if (!usesSupabaseAuth()) {
            defaults.add("SUPABASE_URL / SUPABASE_JWT_SECRET unset: staff tokens are signed with a local secret in "
                    + dataDir.resolve("local-jwt-secret") + "; default tenant '" + defaultTenantName + "'");
        }
        if (sessionTokenSecret.isEmpty()) {
            defaults.add("SESSION_TOKEN_SECRET unset: generated once in " + dataDir.resolve("session-token-secret"));
        }
        if (encryptionMasterKey.isEmpty()) {
            defaults.add("ENCRYPTION_MASTER_KEY unset: generated once in " + dataDir.resolve("encryption-master-key")
                    + " (back it up apart from the database)");
        }
        if (flyToken.isEmpty()) {
            defaults.add("FLY_API_TOKEN unset: each interview's runner is a local OS process");
        }
        if (apiVideoKey.isEmpty()) {
            defaults.add("APIVIDEO_API_KEY unset: recording is off");
        }
        if (openAiKey.isEmpty()) {
            defaults.add("OPENAI_API_KEY unset: realtime and evaluation answer 503 until it is set");
        }
        return defaults;
    }

    @Override
    public String toString() {
        return "ControlPlaneSettings[" + host + ":" + port + ", public " + publicUrl + "]";
    }
}
