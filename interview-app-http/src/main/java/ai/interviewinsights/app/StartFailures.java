package ai.interviewinsights.app;

import ai.interviewinsights.app.config.ConfigurationException;
import ai.interviewinsights.domain.model.DomainException;

/**
 * How the app's entry points ({@link Main}, {@link RunnerMain}) end a start that failed: one line on standard error
 * that says what and why, and an exit status (2: the configuration; 1: anything else), never a stack trace.
 */
final class StartFailures {

    private StartFailures() {
    }

    /** Runs {@code start}; a failure ends the process as described above. */
    static void exitOnFailure(Runnable start) {
        try {
            start.run();
        } catch (ConfigurationException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (DomainException e) {
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
