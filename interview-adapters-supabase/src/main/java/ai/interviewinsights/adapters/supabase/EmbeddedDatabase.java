package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Secret;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import javax.sql.DataSource;

/**
 * A real PostgreSQL 17 on this machine (zonky's embedded binaries), set up the way a Supabase project is:
 * <ol>
 *   <li>as the superuser, the Supabase pieces a bare PostgreSQL lacks (roles {@code anon}, {@code authenticated},
 *       {@code service_role} and the {@code auth} helpers) are created by running the auth shim migration's SQL;</li>
 *   <li>a non-superuser owner role ({@code interview_owner}, like Supabase's {@code postgres}) applies the
 *       migrations, so it owns the tables;</li>
 *   <li>the application logs in as {@code interview_app}: not a superuser, not the owner, no BYPASSRLS, NOINHERIT,
 *       and only a member of {@code authenticated} and {@code service_role}. Its own privileges reach nothing; it
 *       acts only after switching role inside a transaction, where the policies apply.</li>
 * </ol>
 * The data directory is kept between starts (never cleaned), so the data survives a restart.
 * Loaded only when asked for: embedders without the optional zonky dependency never touch this class.
 */
final class EmbeddedDatabase implements AutoCloseable {

    static final String OWNER_ROLE = "interview_owner";
    static final String APP_ROLE = "interview_app";
    static final String DATABASE = "postgres";

    private final EmbeddedPostgres postgres;
    private final Secret ownerPassword = randomPassword();
    private final Secret appPassword = randomPassword();

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedDatabase start(Path dataDirectory) {
        OrphanedPostgres.stopIfAny(dataDirectory); // left behind by a killed control plane: the start would fail
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "200")
                    .start();
            return new EmbeddedDatabase(postgres);
        } catch (IOException | RuntimeException e) {
            throw new DomainException(ErrorKind.UNAVAILABLE, "store.embedded_start_failed",
                    "the embedded PostgreSQL could not be started", false, e);
        }
    }

    /** Brings roles and schema up to date; safe to run on every start. */
    void prepare() {
        executeAsSuperuser(shimSql());
        executeAsSuperuser("""
                do $bootstrap$
                begin
                    if not exists (select 1 from pg_catalog.pg_roles where rolname = '%1$s') then
                        create role %1$s login nosuperuser nocreatedb nocreaterole nobypassrls;
                    end if;
                end
                $bootstrap$;
                alter role %1$s password '%2$s';
                grant create on database %3$s to %1$s;
                -- The policies call auth.jwt(); on Supabase the migration role (postgres) has this already.
                grant usage on schema auth to %1$s;
                """.formatted(OWNER_ROLE, ownerPassword.reveal(), DATABASE));
        Migrations.apply(jdbcUrl(), OWNER_ROLE, ownerPassword);
        executeAsSuperuser("""
                do $bootstrap$
                begin
                    if not exists (select 1 from pg_catalog.pg_roles where rolname = '%1$s') then
                        create role %1$s login noinherit nosuperuser nocreatedb nocreaterole nobypassrls;
                    end if;
                end
                $bootstrap$;
                alter role %1$s password '%2$s';
                grant authenticated to %1$s with inherit false, set true;
                grant service_role to %1$s with inherit false, set true;
                """.formatted(APP_ROLE, appPassword.reveal()));
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    Secret appPassword() {
        return appPassword;
    }

    /** The superuser's data source: for setting up and for tests, never handed to repositories. */
    DataSource superuser() {
        return postgres.getPostgresDatabase();
    }

    int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded PostgreSQL did not stop cleanly", e);
        }
    }

    private void executeAsSuperuser(String sql) {
        try (Connection connection = superuser().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    static String shimSql() {
        try (InputStream in = EmbeddedDatabase.class.getResourceAsStream("/db/migration/V1__supabase_auth_shim.sql")) {
            if (in == null) {
                throw new IllegalStateException("the auth shim migration is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Secret randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Secret.of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }
}
