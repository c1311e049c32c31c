package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Tenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database at the JVM's exit, in a JVM of its own that exits as the control plane does: a shutdown hook
 * of the owner's writes through the store a moment after the exit began (the runners' last transcript flushes), then
 * closes it. An owner that said it closes the store itself ({@link SupabaseStore#closedByCallerAtExit}) gets that
 * write stored; zonky's own hook used to stop the server alongside and refuse it. Either way no server is left
 * running.
 */
class EmbeddedDatabaseExitTest {

    @TempDir
    Path folder;

    /** The child JVM: {@code owner|plain dataDirectory}. Prints what became of the late write. */
    public static final class ExitingOwner {
        public static void main(String[] args) {
            boolean owner = args[0].equals("owner");
            SupabaseStore store = SupabaseStore.embedded(Path.of(args[1]), TestKeys.master());
            if (owner) {
                store.closedByCallerAtExit();
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Thread.sleep(1_500); // stopping the runners takes a moment; they flush meanwhile
                    TenantId tenant = new TenantId(UUID.randomUUID());
                    store.tenants().save(AccessScope.system("exit-test"), new Tenant(tenant, "Written at exit"));
                    System.out.println("LATE WRITE STORED " + tenant.value());
                } catch (Exception e) {
                    System.out.println("LATE WRITE FAILED " + e.getClass().getSimpleName());
                } finally {
                    store.close();
                }
            }, "owner-shutdown"));
            System.out.println("STARTED");
            System.exit(0);
        }
    }

    @Test
    void an_owner_that_closes_the_store_at_exit_still_writes_through_it_before_the_server_stops() throws Exception {
        Path data = folder.resolve("owner");
        String output = exit("owner", data);
        assertTrue(output.contains("LATE WRITE STORED"), output);
        assertServerStopped(data);
        // The write is durable: the next start finds it.
        String tenant = output.substring(output.indexOf("LATE WRITE STORED ") + 18).trim().split("\\s")[0];
        try (SupabaseStore again = SupabaseStore.embedded(data, TestKeys.master())) {
            assertEquals("Written at exit", again.tenants().find(AccessScope.system("exit-test"),
                    new TenantId(UUID.fromString(tenant))).orElseThrow().name());
        }
    }

    @Test
    void without_an_owner_the_server_stops_at_the_exit_at_once_as_before() throws Exception {
        Path data = folder.resolve("plain");
        String output = exit("plain", data);
        assertTrue(output.contains("LATE WRITE FAILED"), output);
        assertServerStopped(data);
    }

    private static void assertServerStopped(Path data) {
        assertFalse(Files.exists(data.resolve("postmaster.pid")), "the server was stopped at the exit");
    }

    private static String exit(String mode, Path data) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), ExitingOwner.class.getName(), mode,
                data.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] bytes = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the JVM exited");
        String output = new String(bytes);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("STARTED"), output);
        return output;
    }
}
