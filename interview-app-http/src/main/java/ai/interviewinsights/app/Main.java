package ai.interviewinsights.app;

import ai.interviewinsights.app.config.ConfigurationException;
import java.util.Map;

/**
 * Starts the app in one of its two roles, chosen by {@code INTERVIEW_MODE}: the control plane (default) or the
 * session runner of one interview ({@link RunnerMain}, which the runners' own jar starts directly). {@code mint-token}
 * prints a staff access token for the local default; the operator's key, erasure, retention and offboarding commands
 * are {@link OperatorCommands}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        // Logging (JSON by default, LOG_FORMAT=text on request) is configured in code when the first logger is made:
        // observability.LogConfiguration, found by logback through ServiceLoader; no XML is read (ADR 0024).
        StartFailures.exitOnFailure(() -> {
            if (args.length > 0 && args[0].equals("mint-token")) {
                MintToken.run(env, args);
                return;
            }
            if (args.length > 0 && args[0].equals("tenant")) {
                TenantCommand.run(env, args, System.out);
                return;
            }
            if (args.length > 0 && OperatorCommands.handles(args[0])) {
                OperatorCommands.run(env, args);
                return;
            }
            String mode = env.getOrDefault("INTERVIEW_MODE", "control-plane");
            switch (mode) {
                case "control-plane" -> ControlPlaneApp.start(env).awaitShutdown();
                case RunnerMain.MODE -> RunnerMain.start(env);
                default -> throw new ConfigurationException(java.util.List.of(
                        "INTERVIEW_MODE must be control-plane or runner, was '" + mode + "'"));
            }
        });
    }
}
