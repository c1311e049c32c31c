package ai.interviewinsights.app;

import ai.interviewinsights.app.config.ConfigurationException;
import java.util.Map;

/**
 * Starts the app in one of its two roles, chosen by {@code INTERVIEW_MODE}: the control plane (default) or the
 * session runner of one interview. {@code mint-token} prints a staff access token for the local default; the
 * operator's key, erasure, retention and offboarding commands are {@link OperatorCommands}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        // Logging (JSON by default, LOG_FORMAT=text on request) is configured in code when the first logger is made:
        // observability.LogConfiguration, found by logback through ServiceLoader; no XML is read (ADR 0024).
        try {
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
                case "runner" -> {
                    // Before the first logger: the JDK's set-ups the start meets later, on the idle core (ADR 0024).
                    ai.interviewinsights.app.runner.StartUpPrimer.start();
                    if (StandbyMode.applies(env)) {
                        StandbyMode.start(env); // a warm runner, bound to a session later (ADR 0020)
                    } else {
                        RunnerMode.start(env);
                    }
                }
                default -> throw new ConfigurationException(java.util.List.of(
                        "INTERVIEW_MODE must be control-plane or runner, was '" + mode + "'"));
            }
        } catch (ConfigurationException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (ai.interviewinsights.domain.model.DomainException e) {
            System.err.println("could not start: " + e.code() + ": " + describe(e));
            System.exit(1);
        } catch (RuntimeException e) {
            // Start-up failed for a reason that is not configuration: say what and why, without a stack trace.
            System.err.println("could not start: " + describe(e));
            System.exit(1);
        }
    }

    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                text.append(": ").append(cause.getMessage());
            }
        }
        if (text.indexOf("lock") >= 0 || text.indexOf("postmaster.pid") >= 0 || text.indexOf("already running") >= 0) {
            text.append(" (is another instance running with the same DATA_DIR?)");
        }
        return text.toString();
    }
}
