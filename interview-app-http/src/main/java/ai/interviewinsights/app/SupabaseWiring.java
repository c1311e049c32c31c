package ai.interviewinsights.app;

import ai.interviewinsights.adapters.supabase.SupabaseAccessTokenVerifier;
import ai.interviewinsights.adapters.supabase.SupabaseAuthConfig;
import ai.interviewinsights.adapters.supabase.SupabaseStore;
import ai.interviewinsights.adapters.supabase.SupabaseTokenMinter;
import ai.interviewinsights.app.config.ConfigurationException;
import ai.interviewinsights.app.config.ControlPlaneSettings;
import ai.interviewinsights.app.config.DatabaseUrl;
import ai.interviewinsights.app.local.SecretFiles;
import ai.interviewinsights.app.local.StaffTokenMinter;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.port.out.AccessTokenVerifier;
import ai.interviewinsights.domain.port.out.AuditLog;
import ai.interviewinsights.domain.port.out.CandidateRepository;
import ai.interviewinsights.domain.port.out.EvaluationRepository;
import ai.interviewinsights.domain.port.out.InviteRepository;
import ai.interviewinsights.domain.port.out.PositionRepository;
import ai.interviewinsights.domain.port.out.SessionRepository;
import ai.interviewinsights.domain.port.out.TenantRepository;
import ai.interviewinsights.domain.port.out.TranscriptRepository;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

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
        if (settings.database().isEmpty()) {
            return wrap(SupabaseStore.embedded(dataDir.resolve("postgres")), "embedded PostgreSQL in "
                    + dataDir.resolve("postgres"));
        }
        DatabaseUrl db = settings.database().get();
        try {
            SupabaseStore store = SupabaseStore.connect(db.jdbcUrl(), db.user(), db.password(),
                    SupabaseStore.Options.defaults().withMaximumPoolSize(settings.databasePoolSize()));
            return wrap(store, db.jdbcUrl().replaceAll("\\?.*", ""));
        } catch (RuntimeException e) {
            throw new ConfigurationException(List.of("DATABASE_URL: cannot connect to " + db.jdbcUrl()
                    .replaceAll("\\?.*", "") + " as " + db.user() + " (" + rootMessage(e) + ")"));
        }
    }

    static StaffAuth staffAuth(ControlPlaneSettings settings, Path dataDir, Clock clock) {
        if (settings.usesSupabaseAuth()) {
            SupabaseAuthConfig config = SupabaseAuthConfig.of(settings.supabaseUrl().orElseThrow()).withClock(clock);
            if (settings.supabaseJwtSecret().isPresent()) {
                config = config.withLegacyJwtSecret(settings.supabaseJwtSecret().get());
            }
            return new StaffAuth(SupabaseAccessTokenVerifier.create(config), Optional.empty());
        }
        Secret local = SecretFiles.secret(dataDir.resolve("local-jwt-secret"));
        SupabaseTokenMinter minter = new SupabaseTokenMinter(LOCAL_AUTH_URL, local, clock);
        return new StaffAuth(SupabaseAccessTokenVerifier.create(SupabaseAuthConfig.of(LOCAL_AUTH_URL)
                .withLegacyJwtSecret(local).withClock(clock)), Optional.of(minter::mint));
    }

    private static Persistence wrap(SupabaseStore store, String description) {
        return new Persistence() {
            @Override
            public TenantRepository tenants() {
                return store.tenants();
            }

            @Override
            public PositionRepository positions() {
                return store.positions();
            }

            @Override
            public CandidateRepository candidates() {
                return store.candidates();
            }

            @Override
            public SessionRepository sessions() {
                return store.sessions();
            }

            @Override
            public TranscriptRepository transcripts() {
                return store.transcripts();
            }

            @Override
            public InviteRepository invites() {
                return store.invites();
            }

            @Override
            public EvaluationRepository evaluations() {
                return store.evaluations();
            }

            @Override
            public AuditLog audit() {
                return store.audit();
            }

            @Override
            public boolean ping() {
                try {
                    store.tenants().find(AccessScope.system("readiness"), new TenantId(new UUID(0, 0)));
                    return true;
                } catch (RuntimeException e) {
                    return false;
                }
            }

            @Override
            public String describe() {
                return description;
            }

            @Override
            public void close() {
                store.close();
            }
        };
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
