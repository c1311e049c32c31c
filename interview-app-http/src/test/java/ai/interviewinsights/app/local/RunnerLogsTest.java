package ai.interviewinsights.app.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runner output through files: the port line is found, every other line is passed through, files are tidied. */
class RunnerLogsTest {

    @TempDir
    Path folder;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);

    private static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardOpenOption.APPEND);
    }

    @Test
    void finds_the_marker_passes_other_lines_through_and_deletes_the_file_of_a_runner_that_ended_in_order()
            throws Exception {
        try (RunnerLogs logs = new RunnerLogs(folder.resolve("logs"), () -> out)) {
            Path file = logs.newFile("runner-1");
            append(file, "{\"message\":\"starting\"}\nRUNNER_LISTENING port=4242\n{\"message\":\"half");
            String rest = logs.awaitLine(file, "RUNNER_LISTENING port=", () -> true,
                    System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
            assertEquals("4242", rest);
            append(file, " a line\"}\n{\"message\":\"the end\"}\n");
            logs.finished(file, false);
            String passed = console.toString(StandardCharsets.UTF_8);
            assertEquals("{\"message\":\"starting\"}\n{\"message\":\"half a line\"}\n{\"message\":\"the end\"}\n",
                    passed, "every line but the port's, whole and once");
            assertFalse(Files.exists(file));
        }
    }

    @Test
    void a_runner_that_dies_before_listening_is_reported_and_its_file_kept() throws Exception {
        try (RunnerLogs logs = new RunnerLogs(folder, () -> out)) {
            Path file = logs.newFile("runner-2");
            append(file, "could not start: no CONTROL_PLANE_URL\n");
            assertNull(logs.awaitLine(file, "RUNNER_LISTENING port=", () -> false,
                    System.nanoTime() + TimeUnit.SECONDS.toNanos(10)));
            logs.finished(file, true);
            assertTrue(console.toString(StandardCharsets.UTF_8).contains("could not start: no CONTROL_PLANE_URL"));
            assertTrue(Files.exists(file), "kept for the operator");
        }
    }

    @Test
    void lines_written_after_the_start_are_forwarded_while_the_runner_runs() throws Exception {
        try (RunnerLogs logs = new RunnerLogs(folder, () -> out)) {
            Path file = logs.newFile("runner-3");
            append(file, "RUNNER_LISTENING port=1\n");
            logs.awaitLine(file, "RUNNER_LISTENING port=", () -> true, System.nanoTime() + 10_000_000_000L);
            append(file, "{\"message\":\"offer relayed\"}\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!console.toString(StandardCharsets.UTF_8).contains("offer relayed")
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(console.toString(StandardCharsets.UTF_8).contains("offer relayed"));
            logs.finished(file, false);
        }
    }

    @Test
    void gives_up_at_the_deadline() throws Exception {
        try (RunnerLogs logs = new RunnerLogs(folder, () -> out)) {
            Path file = logs.newFile("runner-4");
            assertNull(logs.awaitLine(file, "RUNNER_LISTENING port=", () -> true, System.nanoTime() + 50_000_000L));
        }
    }
}
