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

    /**
     * A new cluster asks for the superuser's password from its very first start: checked the moment the server
     * accepts connections, before anything of ours has run against it (an earlier version trusted loopback until
     * {@code prepare()} had set the password).
     */
    @Test
    void a_new_cluster_refuses_a_login_without_the_password_from_the_moment_its_first_start_accepts_connections()
            throws Exception {
        Path root = Files.createTempDirectory("interview-first-start-");
        try {
            firstAndLaterStarts(root);
        } finally {
            deleteTree(root);
        }
    }

    private static void firstAndLaterStarts(Path root) throws Exception {
        Path data = root.resolve("postgres");
        try (EmbeddedDatabase fresh = EmbeddedDatabase.start(data, root)) {
            assertRefusedWithoutThePassword(fresh, "postgres");
            Path passwordFile = root.resolve("postgres-postgres-password");
            try (Connection c = DriverManager.getConnection(fresh.jdbcUrl(), "postgres",
                    Files.readString(passwordFile).strip())) {
                assertEquals("local scram-sha-256, 127.0.0.1 scram-sha-256, ::1 scram-sha-256", scalar(c,
                        "select string_agg(coalesce(address, 'local') || ' ' || auth_method, ', ')"
                                + " from pg_hba_file_rules"));
                assertTrue(scalar(c, "select rolpassword from pg_authid where rolname = 'postgres'")
                        .startsWith("SCRAM-SHA-256$"), "initdb stored the password as a SCRAM verifier");
            }
            assertTrue(Files.exists(data.resolve(EmbeddedDatabase.SCRAM_MARKER)), "born with the marker");
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(passwordFile)));
            fresh.prepare();
            assertRefusedWithoutThePassword(fresh, EmbeddedDatabase.APP_ROLE);
        }
        // ...and again on every later start.
        try (EmbeddedDatabase again = EmbeddedDatabase.start(data, root)) {
            assertRefusedWithoutThePassword(again, "postgres");
            again.prepare();
        }
    }

    /** A cluster made before initdb got the password (trust, no marker) is still brought under SCRAM by prepare(). */
    @Test
    void a_cluster_of_an_earlier_version_gets_its_superuser_password_on_its_first_start_under_this_one()
            throws Exception {
        Path root = Files.createTempDirectory("interview-old-cluster-");
        try {
            upgradeOldCluster(root);
        } finally {
            deleteTree(root);
        }
    }

    private static void upgradeOldCluster(Path root) throws Exception {
        Path data = root.resolve("postgres");
        // What an earlier version left: zonky's own initdb (-A trust), no superuser password, no marker.
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().setDataDirectory(data)
                .setCleanDataDirectory(false).start().close();
        assertFalse(Files.exists(data.resolve(EmbeddedDatabase.SCRAM_MARKER)));
        try (EmbeddedDatabase upgraded = EmbeddedDatabase.start(data, root)) {
            upgraded.prepare();
            assertTrue(Files.exists(data.resolve(EmbeddedDatabase.SCRAM_MARKER)));
            assertRefusedWithoutThePassword(upgraded, "postgres");
            try (Connection c = DriverManager.getConnection(upgraded.jdbcUrl(), "postgres",
                    upgraded.superuserPassword().reveal())) {
                assertEquals("postgres", scalar(c, "select current_user"));
            }
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Over TCP (loopback, both families when present): a wrong password and no password are both refused. */
    private static void assertRefusedWithoutThePassword(EmbeddedDatabase database, String role) {
        for (String host : List.of("127.0.0.1", "[::1]", "localhost")) {
            String url = database.jdbcUrl().replace("localhost", host);
            SQLException wrong = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(url, role, "not-the-password").close(), host);
            if ("08001".equals(wrong.getSQLState()) && host.startsWith("[")) {
                continue; // no IPv6 loopback on this machine: nothing listens there to refuse anyone
            }
            assertEquals("28P01", wrong.getSQLState(), host + " " + role + ": " + wrong.getMessage());
            SQLException none = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(url, role, "").close(), host);
            // The server asked for SCRAM and the driver had nothing to answer with: refused before any login.
            assertTrue(none.getMessage().contains("SCRAM") || "28P01".equals(none.getSQLState()),
                    host + " " + role + ": " + none.getSQLState() + " " + none.getMessage());
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
