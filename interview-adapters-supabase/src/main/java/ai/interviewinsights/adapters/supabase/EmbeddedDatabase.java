package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Secret;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>Hardened like a server, not a test fixture: every role, the superuser included, logs in with a SCRAM password
 * (generated once and kept in the secrets directory, readable by the owner only), over loopback only; fsync,
 * full-page writes and synchronous commit are on (zonky's defaults turn them off for speed), so a committed write
 * survives a crash. A new cluster's {@code initdb} is given the superuser's password and SCRAM authentication
 * ({@code --pwfile}, {@code --auth=scram-sha-256}), so not even its first start admits anyone without a password; a
 * marker file in the data directory records that, and {@code pg_hba.conf} is written for SCRAM before every start.
 * Only a cluster made by an earlier version (without the marker, its superuser without a password) is admitted from
 * loopback without one, once, just long enough to set it.
 *
 * <p>At the JVM's exit the server is stopped by a shutdown hook of ours, not zonky's. An owner that closes it in order
 * at exit, last (the control plane: after its runners have flushed their transcripts through it), says so
 * ({@link #closedByOwnerAtExit}); the hook then waits up to {@link #OWNER_GRACE} for that close before it stops the
 * server itself. zonky's hook stopped it at once, <em>alongside</em> the owner's (the JVM runs shutdown hooks
 * concurrently), cutting those last writes off.
 * Loaded only when asked for: embedders without the optional zonky dependency never touch this class.
 */
final class EmbeddedDatabase implements AutoCloseable {

    static final String OWNER_ROLE = "interview_owner";
    static final String APP_ROLE = "interview_app";
    static final String DATABASE = "postgres";
    static final String SUPERUSER = "postgres";
    /** Present in the data directory once the superuser has its password: pg_hba.conf then asks everyone. */
    static final String SCRAM_MARKER = "interview-insights-scram";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final Secret superuserPassword;
    private final Secret ownerPassword;
    private final Secret appPassword;
    /** Counted down by the owner's close. */
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean ownerClosesAtExit;
    private final Thread exitHook = new Thread(this::closeAtExit, "embedded-postgres-exit");

    /** How long the server outlives the JVM's exit at most, for its owner to close it in order. */
    static final Duration OWNER_GRACE = Duration.ofSeconds(20);

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory, PasswordFiles passwords) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.superuserPassword = passwords.password(SUPERUSER);
        this.ownerPassword = passwords.password(OWNER_ROLE);
        this.appPassword = passwords.password(APP_ROLE);
    }

    /**
     * @param dataDirectory the cluster's data directory (created when absent, never wiped)
     * @param secrets       where the roles' generated passwords are kept, one file each
     */
    static EmbeddedDatabase start(Path dataDirectory, Path secrets) {
        PasswordFiles passwords = new PasswordFiles(secrets);
        OrphanedPostgres.stopIfAny(dataDirectory); // left behind by a killed control plane: the start would fail
        // zonky runs initdb exactly when postgresql.conf is missing (we never ask it to clean the directory).
        boolean newCluster = !Files.exists(dataDirectory.resolve("postgresql.conf"));
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    // Not zonky's hook, which races the owner's close at exit: ours can wait for it (class comment).
                    .setRegisterShutdownHook(false)
                    .setServerConfig("max_connections", "200")
                    // zonky starts the server with -F and synchronous_commit=off; a later -c wins on the command line.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    // zonky's initdb runs "-A trust" and has no password option, but appends each "locale"
                    // setting as --key=value after its own arguments, where the later --auth wins: a new cluster is
                    // born with the superuser's SCRAM password (read from its owner-only file) and a pg_hba.conf
                    // that asks for it. No start, not even the first, admits anyone without a password.
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", passwords.file(SUPERUSER).toAbsolutePath().toString())
                    // zonky's own readiness probe and superuser() log in as postgres: with its password.
                    .setConnectConfig("password", passwords.password(SUPERUSER).reveal())
                    .setDataDirectoryCustomizer(dir -> {
                        if (newCluster) {
                            markScram(dir.toPath());
                        }
                        writeHba(dir.toPath(), Files.exists(dir.toPath().resolve(SCRAM_MARKER)));
                    })
                    .start();
            EmbeddedDatabase database = new EmbeddedDatabase(postgres, dataDirectory, passwords);
            Runtime.getRuntime().addShutdownHook(database.exitHook);
            return database;
        } catch (IOException | RuntimeException e) {
            throw new DomainException(ErrorKind.UNAVAILABLE, "store.embedded_start_failed",
                    "the embedded PostgreSQL could not be started", false, e);
        }
    }

    /** Brings roles and schema up to date; safe to run on every start. */
    void prepare() {
        requirePasswords();
        executeAsSuperuser(shimSql());
        executeAsSuperuser("""
                do $bootstrap$
                begin
                    if not exists (select 1 from pg_catalog.pg_roles where rolname = '%1$s') then
                        create role %1$s login nosuperuser nocreatedb nocreaterole nobypassrls;
                    end if;
                end
                $bootstrap$;
                grant create on database %2$s to %1$s;
                -- The policies call auth.jwt(); on Supabase the migration role (postgres) has this already.
                grant usage on schema auth to %1$s;
                """.formatted(OWNER_ROLE, DATABASE));
        setPassword(OWNER_ROLE, ownerPassword);
        Migrations.apply(jdbcUrl(), OWNER_ROLE, ownerPassword);
        executeAsSuperuser("""
                do $bootstrap$
                begin
                    if not exists (select 1 from pg_catalog.pg_roles where rolname = '%1$s') then
                        create role %1$s login noinherit nosuperuser nocreatedb nocreaterole nobypassrls;
                    end if;
                end
                $bootstrap$;
                grant authenticated to %1$s with inherit false, set true;
                grant service_role to %1$s with inherit false, set true;
                """.formatted(APP_ROLE));
        setPassword(APP_ROLE, appPassword);
    }

    /**
     * On the first start of a cluster made before initdb was given the superuser's password (by an earlier version):
     * gives the superuser its password, then rewrites pg_hba.conf for SCRAM everywhere and reloads it, and records
     * that in the marker file. A cluster made by this version has the marker from its birth.
     */
    private void requirePasswords() {
        if (Files.exists(dataDirectory.resolve(SCRAM_MARKER))) {
            return;
        }
        setPassword(SUPERUSER, superuserPassword);
        writeHba(dataDirectory, true);
        executeAsSuperuser("select pg_catalog.pg_reload_conf()");
        markScram(dataDirectory);
        awaitPasswordRequired();
    }

    private static void markScram(Path dataDirectory) {
        Path marker = dataDirectory.resolve(SCRAM_MARKER);
        try {
            Files.writeString(marker, "pg_hba.conf requires SCRAM passwords for every role\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + marker, e);
        }
    }

    /** pg_reload_conf() only signals the postmaster: wait until a connection without a password is refused. */
    private void awaitPasswordRequired() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Connection ignored = java.sql.DriverManager.getConnection(jdbcUrl(), SUPERUSER, "")) {
                Thread.sleep(20);
            } catch (SQLException refused) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("the embedded PostgreSQL did not start requiring passwords");
    }

    /**
     * Only loopback, and (once the superuser has a password) SCRAM for every role over TCP and the Unix socket.
     * Before that (a cluster from an earlier version), only the superuser, only from loopback, without a password:
     * that cluster's one set-up window.
     */
    static void writeHba(Path dataDirectory, boolean scram) {
        String rules = scram ? """
                # Written by Interview Insights on every start: SCRAM passwords for every role, loopback only.
                local all all scram-sha-256
                host  all all 127.0.0.1/32 scram-sha-256
                host  all all ::1/128 scram-sha-256
                """ : """
                # Written by Interview Insights: a cluster of an earlier version, until the superuser has a password.
                host  all postgres 127.0.0.1/32 trust
                host  all postgres ::1/128 trust
                """;
        try {
            Files.writeString(dataDirectory.resolve("pg_hba.conf"), rules, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pg_hba.conf in " + dataDirectory, e);
        }
    }

    /** Sets a role's password as a SCRAM verifier computed here: the password itself never reaches the server. */
    private void setPassword(String role, Secret password) {
        try (Connection connection = superuser().getConnection()) {
            connection.unwrap(org.postgresql.PGConnection.class)
                    .alterUserPassword(role, password.reveal().toCharArray(), "scram-sha-256");
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    Secret appPassword() {
        return appPassword;
    }

    Secret ownerPassword() {
        return ownerPassword;
    }

    Secret superuserPassword() {
        return superuserPassword;
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
            postgres.close(); // idempotent
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded PostgreSQL did not stop cleanly", e);
        } finally {
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(exitHook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting: the hook is running or about to, and finds the server closed.
            }
        }
    }

    /** The owner closes this database at the JVM's exit itself, in its own order: the exit waits for that close. */
    void closedByOwnerAtExit() {
        ownerClosesAtExit = true;
    }

    /** At the JVM's exit: the owner's close first, if it comes within the grace; the server is stopped either way. */
    private void closeAtExit() {
        try {
            if (ownerClosesAtExit) {
                closed.await(OWNER_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
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
}
