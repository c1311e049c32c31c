package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.testing.RepositorySet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * One embedded PostgreSQL 17 for the whole test JVM, started on first use through the same
 * {@link SupabaseStore#embedded} the app uses, and stopped when the JVM exits. Tests work in fresh random tenants,
 * so they share it without cleaning up.
 */
final class TestDatabase {

    private static SupabaseStore store;

    private TestDatabase() {
    }

    static synchronized SupabaseStore store() {
        if (store == null) {
            try {
                Path directory = Files.createTempDirectory("interview-supabase-test-");
                store = SupabaseStore.embedded(directory.resolve("data"), TestKeys.master());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            SupabaseStore started = store;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "embedded-postgres-stop"));
        }
        return store;
    }

    static RepositorySet repositories() {
        SupabaseStore s = store();
        return new RepositorySet(s.tenants(), s.positions(), s.candidates(), s.sessions(), s.transcripts(),
                s.invites(), s.evaluations(), s.audit());
    }

    /** The superuser: only for inspecting and setting up what the app itself could never do. */
    static DataSource superuser() {
        return store().embeddedDatabase().superuser();
    }
}
