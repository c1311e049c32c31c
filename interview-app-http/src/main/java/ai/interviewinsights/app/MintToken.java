package ai.interviewinsights.app;

import ai.interviewinsights.adapters.supabase.SupabaseTokenMinter;
import ai.interviewinsights.app.config.ConfigurationException;
import ai.interviewinsights.app.config.Env;
import ai.interviewinsights.app.local.LocalDefaults;
import ai.interviewinsights.app.config.SecretFiles;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code mint-token [--role admin|interviewer] [--days N] [--user <uuid>]}: prints a staff token for the local
 * default's tenant, signed with its local secret. With Supabase Auth configured, tokens come from Supabase instead.
 */
final class MintToken {

    private MintToken() {
    }

    static void run(Map<String, String> environment, String[] args) {
        Env env = new Env(environment);
        Path dataDir = env.path("DATA_DIR", Path.of(System.getProperty("user.home"), ".interview-insights"));
        if (env.optional("SUPABASE_URL").isPresent() || env.optional("SUPABASE_JWT_SECRET").isPresent()) {
            throw new ConfigurationException(List.of("mint-token works with the local default only; with "
                    + "SUPABASE_URL set, staff sign in through Supabase Auth"));
        }
        Role role = Role.ADMIN;
        long days = 30;
        UserId user = null;
        for (int i = 1; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--role" -> {
                    role = switch (value.toLowerCase(Locale.ROOT)) {
                        case "admin" -> Role.ADMIN;
                        case "interviewer" -> Role.INTERVIEWER;
                        default -> throw new ConfigurationException(List.of("--role must be admin or interviewer"));
                    };
                    i++;
                }
                case "--days" -> {
                    try {
                        days = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new ConfigurationException(List.of("--days must be a whole number"));
                    }
                    if (days < 1 || days > 365) {
                        throw new ConfigurationException(List.of("--days must be between 1 and 365"));
                    }
                    i++;
                }
                case "--user" -> {
                    user = new UserId(UUID.fromString(value));
                    i++;
                }
                default -> throw new ConfigurationException(List.of("unknown option " + args[i]
                        + "; use --role admin|interviewer, --days N, --user <uuid>"));
            }
        }
        TenantId tenant = LocalDefaults.existingTenant(dataDir).orElseThrow(() -> new ConfigurationException(List.of(
                "no local default in " + dataDir + " yet: start the app once (bash scripts/run)")));
        if (!Files.exists(dataDir.resolve("local-jwt-secret"))) {
            throw new ConfigurationException(List.of("no local signing secret in " + dataDir));
        }
        UserId who = user != null ? user : new UserId(UUID.nameUUIDFromBytes(("minted-" + role).getBytes()));
        SupabaseTokenMinter minter = new SupabaseTokenMinter(SupabaseWiring.LOCAL_AUTH_URL,
                SecretFiles.secret(dataDir.resolve("local-jwt-secret")), Clock.systemUTC());
        System.out.println(minter.mint(tenant, who, role, Duration.ofDays(days)).reveal());
    }
}
