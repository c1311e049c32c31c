package ai.interviewinsights.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.local.RunnerJvm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RUNNER_JVM_FLAGS: the operator's runner JVM options, after the built-in ones; the runner's own class path kept. */
class RunnerJvmSettingsTest {

    private static RunnerJvmSettings read(Map<String, String> values) {
        Env env = new Env(values);
        RunnerJvmSettings settings = ControlPlaneSettings.from(env).runnerJvm();
        env.requireValid();
        return settings;
    }

    @Test
    void unset_adds_nothing_and_set_splits_on_whitespace() {
        assertEquals(List.of(), read(Map.of()).extraFlags());
        assertEquals(List.of(), read(Map.of("RUNNER_JVM_FLAGS", "  ")).extraFlags());
        assertEquals(List.of("-XX:CompileThresholdScaling=0.5", "-Xmx128m"),
                read(Map.of("RUNNER_JVM_FLAGS", " -XX:CompileThresholdScaling=0.5 \t -Xmx128m ")).extraFlags());
    }

    @Test
    void anything_but_options_and_the_class_path_or_main_are_refused_by_name() {
        for (String bad : new String[] {"Xmx128m", "-cp /tmp/evil.jar", "-Xmx1g -jar x.jar", "--class-path /x",
                "-m some/Main", "--class-path=/tmp/evil.jar", "--CLASS-PATH=/x", "--module=some/Main"}) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> read(Map.of("RUNNER_JVM_FLAGS", bad)), bad);
            assertTrue(e.getMessage().contains("RUNNER_JVM_FLAGS"), e.getMessage());
        }
    }

    @Test
    void the_operators_flags_come_after_the_built_in_ones_so_they_win() {
        List<String> command = RunnerJvm.forThisApplication("ai.interviewinsights.app.Main",
                List.of("-Downer=x", "-Xmx128m"), null).baseCommand();
        int builtIn = command.indexOf("-Xmx96m");
        int operator = command.indexOf("-Xmx128m");
        assertTrue(builtIn >= 0 && operator > builtIn, command.toString());
        assertTrue(operator < command.indexOf("-cp"), "options go before the class path and main: " + command);
    }
}
