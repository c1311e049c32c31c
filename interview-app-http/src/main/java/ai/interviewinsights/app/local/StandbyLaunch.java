package ai.interviewinsights.app.local;

/**
 * The launch contract of a standby runner (ADR 0020), beside the session runner's ({@code RunnerLaunch}): the
 * variables a standby is started with, and the one route it is bound through. A standby is started with no session
 * variable at all; the binding sends them later.
 */
public final class StandbyLaunch {

    /** The secret that binds this standby, known only to the control plane that started it. Its presence (and no
     *  {@code SESSION_ID}) makes a runner a standby. */
    public static final String STANDBY_KEY = "RUNNER_STANDBY_KEY";
    /**
     * The architecture this standby will serve ({@code hybrid} or {@code proxy}): known before any session is. The
     * session runner's own variable, so the standby's settings (and the gateway it builds ahead) read it.
     */
    public static final String ARCHITECTURE = ai.interviewinsights.domain.model.runner.RunnerLaunch.ARCHITECTURE;
    /** {@code POST}, {@code Authorization: Bearer <standby key>}, a JSON object of the session's launch variables;
     *  answers {@code {"port": n}}, where the session's runner now listens; 409 once bound. */
    public static final String BIND_PATH = "/internal/standby/bind";

    private StandbyLaunch() {
    }
}
