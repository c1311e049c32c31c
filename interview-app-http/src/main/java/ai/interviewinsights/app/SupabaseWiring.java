package ai.interviewinsights.app;

import ai.interviewinsights.adapters.supabase.MasterKey;
import ai.interviewinsights.adapters.supabase.SupabaseAccessTokenVerifier;
import ai.interviewinsights.adapters.supabase.SupabaseAuthConfig;
import ai.interviewinsights.adapters.supabase.SupabaseStore;
import ai.interviewinsights.adapters.supabase.SupabaseTokenMinter;
import ai.interviewinsights.app.config.ConfigurationException;
import ai.interviewinsights.app.config.ControlPlaneSettings;
import ai.interviewinsights.app.config.DatabaseUrl;
import ai.interviewinsights.app.config.SecretFiles;
import ai.interviewinsights.app.local.StaffTokenMinter;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.port.out.AccessTokenVerifier;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Picks the database and the staff-token verifier: Supabase when configured, the local default otherwise. */
final class SupabaseWiring {

    /** The issuer of the local default's staff tokens; fixed, so tokens survive a change of PUBLIC_URL. */
    static final URI LOCAL_AUTH_URL = URI.create("http://auth.interview-insights.local");

    private SupabaseWiring() {
    }

    /** The staff-token verifier, and a minter when tokens are ours to mint (the local default). */
    record StaffAuth(AccessTokenVerifier verifier, Optional<StaffTokenMinter> minter) {
    }

    static Persistence persistence(ControlPlaneSettings settings, Path dataDir) {
        MasterKey masterKey = masterKey(settings, dataDir);
        SupabaseStore.Options options = SupabaseStore.Options.defaults()
                .withKeyCacheTtl(settings.database().encryptionKeyCache());
        if (settings.database().url().isEmpty()) {
            return new Persistence(SupabaseStore.embedded(dataDir.resolve("postgres"), dataDir, masterKey, options),
                    "embedded PostgreSQL in DATA_DIR");
        }
        DatabaseUrl db = settings.database().url().get();
        try {
            SupabaseStore store = SupabaseStore.connect(db.jdbcUrl(), db.user(), db.password(), masterKey,
                    options.withMaximumPoolSize(settings.database().poolSize()));
            return new Persistence(store, db.jdbcUrl().replaceAll("\\?.*", ""));
        } catch (RuntimeException e) {
            throw new ConfigurationException(List.of("DATABASE_URL: cannot connect to " + db.jdbcUrl()
                    .replaceAll("\\?.*", "") + " as " + db.user() + " (" + rootMessage(e) + ")"));
        }
    }

    /**
     * ENCRYPTION_MASTER_KEY, or the local default's own, generated once in DATA_DIR beside its other secrets (and
     * outside the embedded database's directory, so a copy of the database alone decrypts nothing).
     */
    static MasterKey masterKey(ControlPlaneSettings settings, Path dataDir) {
        Secret encoded = settings.database().encryptionMasterKey().orElseGet(() -> SecretFiles.value(
                dataDir.resolve("encryption-master-key"), () -> MasterKey.generate().export().reveal()));
        try {
            return MasterKey.parse(encoded);
        } catch (RuntimeException e) {
            throw new ConfigurationException(List.of("ENCRYPTION_MASTER_KEY: " + e.getMessage()));
        }
    }

    static StaffAuth staffAuth(ControlPlaneSettings settings, Path dataDir, Clock clock) {
        if (settings.usesSupabaseAuth()) {
            SupabaseAuthConfig config = SupabaseAuthConfig.of(settings.auth().supabaseUrl().orElseThrow()).withClock(clock);
            if (settings.auth().supabaseJwtSecret().isPresent()) {
                config = config.withLegacyJwtSecret(settings.auth().supabaseJwtSecret().get());
            }
            return new StaffAuth(SupabaseAccessTokenVerifier.create(config), Optional.empty());
        }
        Secret local = SecretFiles.secret(dataDir.resolve("local-jwt-secret"));
        SupabaseTokenMinter minter = new SupabaseTokenMinter(LOCAL_AUTH_URL, local, clock);
        // The local issuer is not a Supabase project: no key set exists, so ES256/RS256 tokens are refused (401)
        // without trying to fetch one from a host that does not exist.
        return new StaffAuth(SupabaseAccessTokenVerifier.create(SupabaseAuthConfig.sharedSecretOnly(LOCAL_AUTH_URL,
                local).withClock(clock)), Optional.of(minter::mint));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > 200 ? message.substring(0, 200) : message;
    }
}
