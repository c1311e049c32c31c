package ai.interviewinsights.app.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code RUNNER_JVM_FLAGS}: JVM options a local runner is started with after the built-in ones
 * ({@code RunnerJvm.FLAGS}), so a later option of the same name wins - e.g. {@code -Xmx128m} or
 * {@code -XX:CompileThresholdScaling=0.5} (docs/operations.md, docs/performance.md). Separated by spaces; each starts
 * with {@code -}; none may name the class path or a jar, which the runner's command sets itself. Local runners only:
 * a Fly runner takes its JVM options from its image ({@code JAVA_TOOL_OPTIONS}).
 */
public record RunnerJvmSettings(List<String> extraFlags) {

    private static final Set<String> RESERVED = Set.of("-cp", "-classpath", "--class-path", "-jar", "-m", "--module");

    public RunnerJvmSettings {
        extraFlags = List.copyOf(extraFlags);
    }

    public static RunnerJvmSettings from(Env env) {
        String raw = env.string("RUNNER_JVM_FLAGS", "").strip();
        List<String> flags = raw.isEmpty() ? List.of() : List.of(raw.split("\\s+"));
        for (String flag : flags) {
            // "--class-path=x" and "--module=x" are the launcher's other spelling of the same options.
            String name = flag.toLowerCase(Locale.ROOT);
            if (name.startsWith("--") && name.indexOf('=') > 0) {
                name = name.substring(0, name.indexOf('='));
            }
            if (!flag.startsWith("-") || RESERVED.contains(name)) {
                env.problem("RUNNER_JVM_FLAGS holds JVM options separated by spaces, each starting with '-' and none"
                        + " of -cp, -classpath, --class-path, -jar, -m, --module");
                return new RunnerJvmSettings(List.of());
            }
        }
        return new RunnerJvmSettings(flags);
    }
}
