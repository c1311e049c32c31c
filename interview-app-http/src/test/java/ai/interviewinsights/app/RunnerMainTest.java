package ai.interviewinsights.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The runners' entry point, as the runners' jar starts it: it runs a runner and nothing else, and says so clearly to
 * an operator who starts that jar for the control plane.
 */
class RunnerMainTest {

    @Test
    void the_runners_entry_point_refuses_another_mode_with_a_clear_line_and_status_2() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), RunnerMain.class.getName())
                .redirectErrorStream(true);
        builder.environment().put("INTERVIEW_MODE", "control-plane");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));

        assertEquals(2, process.exitValue(), output);
        assertTrue(output.contains("the session runner's entry point (INTERVIEW_MODE=runner)")
                && output.contains("INTERVIEW_MODE was 'control-plane'")
                && output.contains("interview-app-http.jar"), output);
        assertFalse(output.contains("Exception") || output.contains("\tat "), "no stack trace: " + output);
        assertEquals(List.of(), output.lines().filter(l -> l.startsWith("{")).toList(), "nothing was started");
    }

    @Test
    void an_operators_command_given_to_the_runners_entry_point_is_refused_with_where_it_runs() throws Exception {
        Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), RunnerMain.class.getName(), "tenant", "create")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));

        assertEquals(2, process.exitValue(), output);
        assertTrue(output.contains("takes no arguments") && output.contains("('tenant' ...)")
                && output.contains("interview-app-http.jar"), output);
        assertFalse(output.contains("\tat "), "no stack trace: " + output);
    }

    @Test
    void without_a_session_the_runner_says_what_is_missing_and_exits_with_status_2() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), RunnerMain.class.getName())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("SESSION_") || k.startsWith("RUNNER_")
                || k.equals("INTERVIEW_MODE") || k.equals("CONTROL_PLANE_URL"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));

        assertEquals(2, process.exitValue(), output);
        assertTrue(output.contains("invalid configuration"), output);
        assertFalse(output.contains("\tat "), "no stack trace: " + output);
    }
}
