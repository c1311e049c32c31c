package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Tenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default keeps its data in the given directory across restarts. */
class EmbeddedStoreTest {

    @TempDir
    Path home;

    @Test
    void data_survives_a_restart_and_the_second_start_migrates_nothing() {
        Path data = home.resolve("interview-insights").resolve("db");
        TenantId tenant = new TenantId(UUID.randomUUID());
        AccessScope system = AccessScope.system("restart-test");
        try (SupabaseStore first = SupabaseStore.embedded(data)) {
            first.tenants().save(system, new Tenant(tenant, "Persistent"));
        }
        assertTrue(Files.exists(data.resolve("postgresql.conf")), "the data directory holds the cluster");
        try (SupabaseStore second = SupabaseStore.embedded(data)) {
            assertEquals("Persistent", second.tenants().find(system, tenant).orElseThrow().name());
            assertEquals(0, SupabaseStore.migrate(second.embeddedDatabase().jdbcUrl(), "postgres",
                    ai.interviewinsights.domain.model.Secret.of("trusted-locally")));
        }
    }

    /** Issue 10, defect 8: a stalled database fails a request in bounded time instead of hanging it. */
    @Test
    void the_pool_bounds_statements_and_silent_sockets() throws Exception {
        try (SupabaseStore store = SupabaseStore.embedded(home.resolve("timeouts"));
             var connection = store.pool().getConnection();
             var statement = connection.createStatement();
             var result = statement.executeQuery("show statement_timeout")) {
            result.next();
            assertEquals("15s", result.getString(1));
            assertEquals(Long.toString(SupabaseStore.SOCKET_TIMEOUT.toSeconds()),
                    store.pool().getDataSourceProperties().getProperty("socketTimeout"));
        }
    }
}
