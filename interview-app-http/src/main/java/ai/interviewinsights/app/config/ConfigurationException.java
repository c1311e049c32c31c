package ai.interviewinsights.app.config;

import java.util.List;

/** Start-up configuration is missing or invalid; the message lists every problem, each naming its variable. */
public final class ConfigurationException extends RuntimeException {

    private final List<String> problems;

    public ConfigurationException(List<String> problems) {
        super("invalid configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
