package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The database password and the JWT secret never show up in logs (any level), exception messages or
 * {@code toString()}s, whatever fails.
 */
class SecretsStayOutOfLogsTest {

    private static final String DB_PASSWORD = "FAKE-DB-PASSWORD-4711-do-not-log";
    private static final String JWT_SECRET = "FAKE-JWT-SECRET-0815-do-not-log-0123456789";

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private Level previousLevel;
    private final List<String> texts = new ArrayList<>();

    @BeforeEach
    void capture() {
        previousLevel = root.getLevel();
        root.setLevel(Level.TRACE);
        appender.start();
        root.addAppender(appender);
    }

    @AfterEach
    void release() {
        root.detachAppender(appender);
        root.setLevel(previousLevel);
    }

    /** On the root logger at TRACE: HikariCP's own threads may append while this reads (AppenderBase's lock). */
    private List<ILoggingEvent> logged() {
        synchronized (appender) {
            return new ArrayList<>(appender.list);
        }
    }

    private void keep(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            texts.add(String.valueOf(t.getMessage()));
            texts.add(t.toString());
        }
    }

    @Test
    void failing_connections_and_token_checks_never_reveal_the_secrets() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SupabaseStore.Options quick = SupabaseStore.Options.defaults().withConnectionTimeout(Duration.ofMillis(300));
        keep(assertThrows(DomainException.class, () -> SupabaseStore.connect(
                "jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres", "interview_app", Secret.of(DB_PASSWORD),
                TestKeys.master(), quick)));
        String wrongDatabase = TestDatabase.store().embeddedDatabase().jdbcUrl().replace("/postgres", "/missing");
        keep(assertThrows(DomainException.class, () -> SupabaseStore.connect(wrongDatabase, "interview_app",
                Secret.of(DB_PASSWORD), TestKeys.master(), quick)));
        keep(assertThrows(DomainException.class, () -> SupabaseStore.migrate(wrongDatabase, "interview_owner",
                Secret.of(DB_PASSWORD))));
        try (SupabaseStore lazy = SupabaseStore.connect("jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres",
                "interview_app", Secret.of(DB_PASSWORD), TestKeys.master(), quick.withFailFast(false))) {
            texts.add(lazy.toString());
            keep(assertThrows(DomainException.class, () -> lazy.tenants().find(AccessScope.system("log-test"),
                    new TenantId(UUID.randomUUID()))));
        }

        SupabaseAuthConfig config = SupabaseAuthConfig.of(URI.create("http://127.0.0.1:" + closedPort))
                .withLegacyJwtSecret(Secret.of(JWT_SECRET));
        SupabaseAccessTokenVerifier verifier = SupabaseAccessTokenVerifier.create(config);
        SupabaseTokenMinter minter = new SupabaseTokenMinter(URI.create("http://other.example"),
                Secret.of(JWT_SECRET), Clock.systemUTC());
        String wrongIssuer = minter.mint(new TenantId(UUID.randomUUID()), new UserId(UUID.randomUUID()), Role.ADMIN,
                Duration.ofMinutes(5)).reveal();
        keep(assertThrows(DomainException.class, () -> verifier.verify(wrongIssuer)));
        keep(assertThrows(DomainException.class, () -> verifier.verify(wrongIssuer + "x")));
        keep(assertThrows(DomainException.class, () -> verifier.verify("garbage")));
        String es256 = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.e30.c2ln";
        keep(assertThrows(DomainException.class, () -> verifier.verify(es256))); // JWKS unreachable
        texts.add(config.toString());
        texts.add(verifier.toString());
        texts.add(minter.toString());

        for (ILoggingEvent event : logged()) {
            texts.add(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                texts.add(t.getClassName() + ": " + t.getMessage());
            }
        }
        assertTrue(texts.size() > 10, "the error paths produced something to inspect");
        for (String text : texts) {
            assertFalse(text.contains(DB_PASSWORD), "database password leaked: " + text);
            assertFalse(text.contains(JWT_SECRET), "JWT secret leaked: " + text);
        }
    }

    @Test
    void the_master_key_never_shows_in_logs_errors_or_to_strings() {
        MasterKey master = TestKeys.master();
        String exported = master.export().reveal();
        String json = new String(java.util.Base64.getDecoder().decode(exported),
                java.nio.charset.StandardCharsets.UTF_8);
        // The key material inside Tink's JSON keyset: {"value": "<base64 of the key proto>", ...}.
        java.util.regex.Matcher value = java.util.regex.Pattern.compile("\"value\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(json);
        assertTrue(value.find(), json.length() + " characters of JSON without a key value");
        String material = value.group(1);

        SupabaseStore store = TestDatabase.store();
        TenantId tenant = PersonalData.newTenant(store);
        PersonalData.create(store, tenant, java.time.Instant.now());
        texts.add(master.toString());
        texts.add(master.rotated().toString());
        texts.add(store.keyVault().toString());
        texts.add(store.toString());
        keep(assertThrows(DomainException.class, () -> MasterKey.parse(Secret.of(exported.substring(3)))));
        keep(assertThrows(DomainException.class, () -> MasterKey.parse(Secret.of("not base64 !"))));
        // The same database opened with another master key: the tenant keys do not unwrap, and nothing says why
        // beyond that.
        try (SupabaseStore wrongKey = SupabaseStore.connect(store.embeddedDatabase().jdbcUrl(),
                EmbeddedDatabase.APP_ROLE, store.embeddedDatabase().appPassword(), MasterKey.generate(),
                SupabaseStore.Options.defaults().withMaximumPoolSize(1))) {
            DomainException e = assertThrows(DomainException.class, () -> wrongKey.candidates().list(
                    AccessScope.of(ai.interviewinsights.domain.testing.Fixtures.admin(tenant))));
            assertTrue(e.code().equals("crypto.master_key_mismatch"), e.code());
            keep(e);
        }
        for (ILoggingEvent event : logged()) {
            texts.add(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                texts.add(t.getClassName() + ": " + t.getMessage());
            }
        }
        for (String text : texts) {
            assertFalse(text.contains(exported), "master key leaked: " + text);
            assertFalse(text.contains(material), "master key material leaked: " + text);
        }
    }
}
