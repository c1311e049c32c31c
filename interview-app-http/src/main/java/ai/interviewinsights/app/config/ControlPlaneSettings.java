package ai.interviewinsights.app.config;

import ai.interviewinsights.app.web.ClientAddress;
import ai.interviewinsights.domain.model.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything the control plane reads from its environment, checked at once and grouped by what it configures: the
 * server itself, the database, staff and session authentication, OpenAI and its models, Fly, api.video, the web
 * client, metrics, the platform API and the limits. Each optional integration falls back to a local default when its
 * variables are absent; {@link #defaultsInForce()} says which, for the start-up banner. The variables' names and
 * defaults are the README's table (held to it by {@code ConfigurationTest}).
 */
public record ControlPlaneSettings(Server server, Database database, Auth auth, OpenAi openAi, ModelSettings models,
                                   Fly fly, ApiVideo apiVideo, WebSettings web, MetricsSettings metrics,
                                   PlatformSettings platform, Limits limits, RunnerPoolSettings runnerPool,
                                   RunnerJvmSettings runnerJvm, ProxyReconnectSettings proxyReconnect) {

    /** Reads every group; call {@link Env#requireValid()} afterwards to get every problem at once. */
    public static ControlPlaneSettings from(Env env) {
        return new ControlPlaneSettings(Server.from(env), Database.from(env), Auth.from(env), OpenAi.from(env),
                ModelSettings.from(env), Fly.from(env), ApiVideo.from(env), WebSettings.from(env),
                MetricsSettings.from(env), PlatformSettings.from(env), Limits.from(env),
                RunnerPoolSettings.from(env), RunnerJvmSettings.from(env), ProxyReconnectSettings.from(env));
    }

    /**
     * Where the control plane listens and keeps its files: HOST, PORT, PUBLIC_URL, DATA_DIR, LOG_FORMAT, CORS, and
     * CLIENT_IP_HEADER: the header a proxy in front of it writes the client's address into (Fly-Client-IP on Fly),
     * read by the per-address limits; unset, the socket's peer is the client.
     */
    public record Server(String host, int port, URI publicUrl, boolean publicUrlConfigured, Path dataDir,
                         String logFormat, List<String> corsOrigins, Optional<String> clientIpHeader) {
        static Server from(Env env) {
            String host = env.string("HOST", "127.0.0.1");
            int port = env.integer("PORT", 8080, 0, 65535);
            URI publicUrl = env.url("PUBLIC_URL", "http", "https")
                    .orElse(URI.create("http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + port));
            Path dataDir = env.path("DATA_DIR", Path.of(System.getProperty("user.home"), ".interview-insights"));
            String logFormat = env.string("LOG_FORMAT", "json");
            if (!logFormat.equals("json") && !logFormat.equals("text")) {
                env.problem("LOG_FORMAT must be json or text");
            }
            Optional<String> clientIpHeader = env.optional("CLIENT_IP_HEADER").map(String::strip);
            if (clientIpHeader.isPresent() && !ClientAddress.HEADER_NAME.matcher(clientIpHeader.get()).matches()) {
                env.problem("CLIENT_IP_HEADER must be an HTTP header name, e.g. Fly-Client-IP");
            }
            return new Server(host, port, publicUrl, env.optional("PUBLIC_URL").isPresent(), dataDir, logFormat,
                    env.list("CORS_ALLOWED_ORIGINS"), clientIpHeader);
        }
    }

    /** The database (DATABASE_URL, else embedded PostgreSQL) and the master key of its encrypted fields. */
    public record Database(Optional<DatabaseUrl> url, int poolSize, Optional<Secret> encryptionMasterKey,
                           Duration encryptionKeyCache) {
        static Database from(Env env) {
            Optional<DatabaseUrl> database = env.optional("DATABASE_URL")
                    .flatMap(raw -> DatabaseUrl.parse(env, raw, "DATABASE_USER", "DATABASE_PASSWORD"));
            int pool = env.integer("DATABASE_POOL_SIZE", 10, 1, 200);
            // How long unwrapped data keys stay in memory; every instance and operator command must agree.
            Duration keyCache = env.seconds("ENCRYPTION_KEY_CACHE_SECONDS",
                    ai.interviewinsights.adapters.supabase.SupabaseStore.KEY_CACHE_TTL, 0,
                    ai.interviewinsights.adapters.supabase.SupabaseStore.MAX_KEY_CACHE_TTL.toSeconds());
            return new Database(database, pool, encryptionMasterKey(env), keyCache);
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
    }

    /** Staff tokens (Supabase, else a local secret) and the secret of candidates' and runners' session tokens. */
    public record Auth(Optional<URI> supabaseUrl, Optional<Secret> supabaseJwtSecret,
                       Optional<Secret> sessionTokenSecret, String defaultTenantName) {
        static Auth from(Env env) {
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
            return new Auth(supabaseUrl, jwtSecret, sessionSecret, env.string("DEFAULT_TENANT_NAME",
                    "Local Company"));
        }

        /** True when staff tokens are verified against a real Supabase project rather than the local secret. */
        public boolean usesSupabase() {
            return supabaseUrl.isPresent() || supabaseJwtSecret.isPresent();
        }
    }

    /**
     * OpenAI: the server's key and API, the evaluation model, names OpenAI added after this release, and whether the
     * local realtime endpoint stands in when there is no key ({@code LOCAL_REALTIME=off} keeps the 503s).
     */
    public record OpenAi(Optional<Secret> key, URI baseUrl, String evaluationModel, List<String> extraVoices,
                         List<String> extraRealtimeModels, boolean localRealtimeAllowed) {
        static OpenAi from(Env env) {
            return new OpenAi(env.secret("OPENAI_API_KEY"),
                    env.url("OPENAI_BASE_URL", "https", "http").orElse(URI.create("https://api.openai.com")),
                    env.string("OPENAI_EVALUATION_MODEL",
                            ai.interviewinsights.adapters.openai.OpenAiConfig.DEFAULT_EVALUATION_MODEL),
                    env.list("REALTIME_EXTRA_VOICES"), env.list("REALTIME_EXTRA_MODELS"),
                    !"off".equalsIgnoreCase(env.string("LOCAL_REALTIME", "on")));
        }
    }

    /** Fly Machines as runners (FLY_API_TOKEN), else local processes. */
    public record Fly(Optional<Secret> token, URI apiUrl, String org, String image, List<String> regions,
                      String endpointTemplate) {
        static Fly from(Env env) {
            Optional<Secret> flyToken = env.secret("FLY_API_TOKEN");
            URI flyApi = env.url("FLY_API_URL", "https", "http").orElse(URI.create("https://api.machines.dev"));
            String flyOrg = flyToken.isPresent() ? env.required("FLY_ORG_SLUG", "the Fly organisation of tenant apps")
                    : env.string("FLY_ORG_SLUG", "");
            String flyImage = flyToken.isPresent() ? env.required("FLY_RUNNER_IMAGE", "the runner's container image")
                    : env.string("FLY_RUNNER_IMAGE", "");
            List<String> regions = env.list("FLY_REGIONS");
            return new Fly(flyToken, flyApi, flyOrg, flyImage, regions.isEmpty() ? List.of("iad") : regions,
                    env.string("FLY_ENDPOINT_TEMPLATE", "wss://{app}.fly.dev/ws?instance={machine}"));
        }
    }

    /** api.video recording (APIVIDEO_API_KEY, else off) and its webhook. */
    public record ApiVideo(Optional<Secret> key, URI baseUrl, Optional<Secret> webhookSecret) {
        static ApiVideo from(Env env) {
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
            return new ApiVideo(apiVideoKey, apiVideoBase, env.secret("APIVIDEO_WEBHOOK_SECRET"));
        }
    }

    /** The rate limit, the idle timeout and how often housekeeping looks for stale sessions and orphaned runners. */
    public record Limits(int sessionsPerMinutePerTenant, Duration idleTimeout, Duration reaperInterval,
                         Duration reconcileInterval) {
        static Limits from(Env env) {
            return new Limits(env.integer("SESSION_RATE_LIMIT_PER_MINUTE", 30, 1, 100_000),
                    Duration.ofMinutes(env.integer("IDLE_TIMEOUT_MINUTES", 15, 1, 24 * 60)),
                    env.seconds("REAPER_INTERVAL_SECONDS", Duration.ofSeconds(30), 1, 3600),
                    env.seconds("RECONCILE_INTERVAL_SECONDS", Duration.ofSeconds(60), 1, 3600));
        }
    }

    /** True when staff tokens are verified against a real Supabase project rather than the local secret. */
    public boolean usesSupabaseAuth() {
        return auth.usesSupabase();
    }

    /** The local defaults in force, in words, for the start-up banner. */
    public List<String> defaultsInForce() {
        Path dataDir = server.dataDir();
        List<String> defaults = new ArrayList<>();
        if (database.url().isEmpty()) {
            defaults.add("DATABASE_URL unset: embedded PostgreSQL with data in " + dataDir.resolve("postgres"));
        }
        if (!usesSupabaseAuth()) {
            defaults.add("SUPABASE_URL / SUPABASE_JWT_SECRET unset: staff tokens are signed with a local secret in "
                    + dataDir.resolve("local-jwt-secret") + "; default tenant '" + auth.defaultTenantName() + "'");
        }
        if (auth.sessionTokenSecret().isEmpty()) {
            defaults.add("SESSION_TOKEN_SECRET unset: generated once in " + dataDir.resolve("session-token-secret"));
        }
        if (database.encryptionMasterKey().isEmpty()) {
            defaults.add("ENCRYPTION_MASTER_KEY unset: generated once in " + dataDir.resolve("encryption-master-key")
                    + " (back it up apart from the database)");
        }
        if (fly.token().isEmpty()) {
            defaults.add("FLY_API_TOKEN unset: each interview's runner is a local OS process");
        }
        if (apiVideo.key().isEmpty()) {
            defaults.add("APIVIDEO_API_KEY unset: recording is off");
        }
        if (openAi.key().isEmpty()) {
            defaults.add("OPENAI_API_KEY unset: realtime and evaluation answer 503 until it is set");
        }
        return defaults;
    }

    @Override
    public String toString() {
        return "ControlPlaneSettings[" + server.host() + ":" + server.port() + ", public " + server.publicUrl() + "]";
    }
}
