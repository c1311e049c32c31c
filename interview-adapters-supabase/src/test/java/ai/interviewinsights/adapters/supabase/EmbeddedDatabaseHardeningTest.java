package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The embedded default is a server, not a test fixture: every role needs its password (SCRAM), nothing listens
 * beyond loopback, and a commit is durable (fsync, full-page writes and synchronous commit on).
 */
class EmbeddedDatabaseHardeningTest {

    private final EmbeddedDatabase database = TestDatabase.store().embeddedDatabase();

    @Test
    void every_role_is_refused_with_a_wrong_password_and_without_one() throws Exception {
        List<String> roles = new ArrayList<>();
        try (Connection c = database.superuser().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select rolname from pg_roles where rolname !~ '^pg_' order by 1")) {
            while (r.next()) {
                roles.add(r.getString(1));
            }
        }
        assertTrue(roles.containsAll(List.of("postgres", EmbeddedDatabase.OWNER_ROLE, EmbeddedDatabase.APP_ROLE,
                "anon", "authenticated", "service_role")), roles.toString());
        for (String role : roles) {
            SQLException wrong = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(database.jdbcUrl(), role, "not-the-password").close(), role);
            assertEquals("28P01", wrong.getSQLState(), role + ": " + wrong.getMessage());
            // No password at all: the server asks for SCRAM, the driver has nothing to answer with.
            assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(database.jdbcUrl(), role, "").close(), role);
        }
        // ...and each login role gets in with its own generated password.
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), "postgres",
                database.superuserPassword().reveal())) {
            assertEquals("postgres", scalar(c, "select current_user"));
        }
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.OWNER_ROLE,
                database.ownerPassword().reveal())) {
            assertEquals(EmbeddedDatabase.OWNER_ROLE, scalar(c, "select current_user"));
        }
    }

    @Test
    void passwords_are_stored_as_scram_verifiers_and_kept_in_owner_only_files() throws Exception {
        try (Connection c = database.superuser().getConnection()) {
            assertEquals("0", scalar(c, "select count(*) from pg_authid where rolpassword is not null"
                    + " and rolpassword not like 'SCRAM-SHA-256$%'"));
            assertEquals("3", scalar(c, "select count(*) from pg_authid where rolpassword like 'SCRAM-SHA-256$%'"));
        }
        Path secrets = Path.of(dataDirectory()).getParent();
        for (String role : List.of("postgres", EmbeddedDatabase.OWNER_ROLE, EmbeddedDatabase.APP_ROLE)) {
            Path file = secrets.resolve("postgres-" + role + "-password");
            assertTrue(Files.exists(file), file.toString());
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(file)));
        }
    }

    @Test
    void commits_are_durable_and_only_loopback_is_listened_on() throws Exception {
        try (Connection c = database.superuser().getConnection()) {
            assertEquals("on", scalar(c, "show fsync"));
            assertEquals("on", scalar(c, "show synchronous_commit"));
            assertEquals("on", scalar(c, "show full_page_writes"));
            assertEquals("localhost", scalar(c, "show listen_addresses"));
            assertEquals("scram-sha-256", scalar(c, "show password_encryption"));
            String hba = scalar(c, "select string_agg(coalesce(address, 'local') || ' ' || auth_method, ', ')"
                    + " from pg_hba_file_rules");
            assertEquals("local scram-sha-256, 127.0.0.1 scram-sha-256, ::1 scram-sha-256", hba);
        }
        // Reached on this machine's own non-loopback address, nothing answers.
        Optional<InetAddress> external = externalAddress();
        if (external.isPresent()) {
            String url = database.jdbcUrl().replace("localhost", external.get().getHostAddress());
            SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(url,
                    "postgres", database.superuserPassword().reveal()).close());
            assertEquals("08001", refused.getSQLState(), refused.getMessage());
        }
    }

    private String dataDirectory() throws SQLException {
        try (Connection c = database.superuser().getConnection()) {
            return scalar(c, "show data_directory");
        }
    }

    private static Optional<InetAddress> externalAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return Optional.of(address);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            assertTrue(r.next());
            String value = r.getString(1);
            assertFalse(r.next());
            return value;
        }
    }
}
