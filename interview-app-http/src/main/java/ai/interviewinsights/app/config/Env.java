package ai.interviewinsights.app.config;

import ai.interviewinsights.domain.model.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads environment variables and collects every problem instead of stopping at the first, so an operator fixes
 * their configuration in one go. Values of secret variables never appear in a problem message.
 */
public final class Env {

    private final Map<String, String> values;
    private final List<String> problems = new ArrayList<>();
    private final java.util.Set<String> read = new java.util.concurrent.ConcurrentSkipListSet<>();

    public Env(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public Optional<String> optional(String name) {
        read.add(name);
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    public String string(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    /** A variable that must be present; a missing one is recorded as a problem and {@code ""} returned. */
    public String required(String name, String meaning) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            problems.add(name + " is required (" + meaning + ")");
            return "";
        }
        return value.get();
    }

    public Optional<Secret> secret(String name) {
        return optional(name).map(Secret::of);
    }

    public int integer(String name, int fallback, int min, int max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                problems.add(name + " must be between " + min + " and " + max + ", was " + value);
                return fallback;
            }
            return value;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number, was '" + shorten(raw.get()) + "'");
            return fallback;
        }
    }

    public Duration seconds(String name, Duration fallback, long min, long max) {
        return Duration.ofSeconds(integer(name, (int) fallback.toSeconds(), (int) min, (int) max));
    }

    public Optional<URI> url(String name, String... schemes) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(raw.get());
            if (uri.getScheme() == null || uri.getHost() == null
                    || schemes.length > 0 && !Arrays.asList(schemes).contains(uri.getScheme())) {
                problems.add(name + " must be an absolute " + String.join(" or ", schemes) + " URL");
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            problems.add(name + " is not a valid URL");
            return Optional.empty();
        }
    }

    public List<String> list(String name) {
        return optional(name).map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .toList()).orElse(List.of());
    }

    public Path path(String name, Path fallback) {
        return optional(name).map(Path::of).orElse(fallback);
    }

    /** The name of every variable asked for so far, set or not (to hold the documented list to the code). */
    public java.util.Set<String> namesRead() {
        return java.util.Set.copyOf(read);
    }

    /** Records a problem found while interpreting variables together. */
    public void problem(String message) {
        problems.add(message);
    }

    /** @throws ConfigurationException listing every problem recorded so far */
    public void requireValid() {
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
    }

    private static String shorten(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }
}
