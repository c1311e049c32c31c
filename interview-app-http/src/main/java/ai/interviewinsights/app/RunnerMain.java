package ai.interviewinsights.app;

import ai.interviewinsights.app.config.ConfigurationException;
import java.util.List;
import java.util.Map;

/**
 * The session runner's entry point: one interview ({@link RunnerMode}), or a standby runner bound to a session later
 * ({@link StandbyMode}, ADR 0020). {@link Main} starts it for {@code INTERVIEW_MODE=runner}; the runners' own jar
 * ({@code interview-runner.jar}, built beside the application's) has it as its main class.
 *
 * <p>That jar holds only what a runner can reach: no database driver, migrations, embedded PostgreSQL, metrics
 * registry, Fly or Supabase adapter. A runner on a Fly Machine faces the internet and carries none of them; the
 * runner image is ~100 MB smaller; and each runner holds the central directory of a jar of ~8,100 entries in its
 * heap instead of ~19,200 (~1-2 MB less per runner; docs/performance.md, ADR 0024). {@code ArchitectureTest} holds
 * that nothing reachable from this class needs what the runners' jar leaves out.
 */
public final class RunnerMain {

    /** The {@code INTERVIEW_MODE} of a runner. */
    static final String MODE = "runner";

    private RunnerMain() {
    }

    public static void main(String[] args) {
        StartFailures.exitOnFailure(() -> {
            Map<String, String> env = System.getenv();
            if (args.length > 0) {
                throw new ConfigurationException(List.of("this is the session runner's entry point, which takes no"
                        + " arguments; the operator's commands ('" + args[0] + "' ...) run from"
                        + " interview-app-http.jar"));
            }
            String mode = env.getOrDefault("INTERVIEW_MODE", MODE);
            if (!mode.equals(MODE)) {
                throw new ConfigurationException(List.of("this is the session runner's entry point (INTERVIEW_MODE="
                        + MODE + "); INTERVIEW_MODE was '" + mode + "': the control plane and the operator's commands"
                        + " start from interview-app-http.jar"));
            }
            start(env);
        });
    }

    static void start(Map<String, String> env) {
        // Before the first logger: the JDK's set-ups the start meets later, on the idle core (ADR 0024).
        ai.interviewinsights.app.runner.StartUpPrimer.start();
        if (StandbyMode.applies(env)) {
            StandbyMode.start(env); // a warm runner, bound to a session later (ADR 0020)
        } else {
            RunnerMode.start(env);
        }
    }
}
