package ai.interviewinsights.adapters.openai;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long OpenAI asked us to wait before retrying, read from a reply's headers. In order of precedence:
 * {@code retry-after-ms} (OpenAI's own, in milliseconds), {@code Retry-After} (read by the house rule,
 * {@link RetryAfter}: whole seconds or an HTTP date, measured against the reply's {@code Date} so that clock skew does
 * not matter, else against the instant the reply arrived by the injected clock), then the
 * {@code x-ratelimit-reset-*} header of whichever limit is exhausted ({@code x-ratelimit-remaining-*} is 0), in
 * OpenAI's Go-style durations ("1s", "6m0s", "20ms").
 */
final class ServerDelay {

    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|µs|ns|h|m|s)");

    private ServerDelay() {
    }

    /** The wait OpenAI asked for, if it asked; only 429 and 503 replies carry one that matters. */
    static Optional<Duration> of(HttpReply reply) {
        if (reply == null || reply.code() != 429 && reply.code() != 503) {
            return Optional.empty();
        }
        Optional<Duration> millis = reply.header("retry-after-ms").flatMap(ServerDelay::decimalMillis);
        if (millis.isPresent()) {
            return millis;
        }
        Optional<Duration> retryAfter = reply.header("Retry-After").flatMap(v -> retryAfter(v, reply));
        if (retryAfter.isPresent()) {
            return retryAfter;
        }
        Duration reset = null;
        for (String limit : new String[] {"requests", "tokens"}) {
            boolean exhausted = reply.header("x-ratelimit-remaining-" + limit).map(v -> v.equals("0")).orElse(false);
            Optional<Duration> resetsIn = reply.header("x-ratelimit-reset-" + limit).flatMap(ServerDelay::goDuration);
            if (exhausted && resetsIn.isPresent() && (reset == null || resetsIn.get().compareTo(reset) > 0)) {
                reset = resetsIn.get();
            }
        }
        return Optional.ofNullable(reset);
    }

    private static Optional<Duration> decimalMillis(String value) {
        try {
            double ms = Double.parseDouble(value);
            return ms >= 0 && ms < 86_400_000 ? Optional.of(Duration.ofNanos((long) (ms * 1_000_000))) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> retryAfter(String value, HttpReply reply) {
        Optional<Duration> wait = RetryAfter.parse(value, reply.header("Date").orElse(null), reply.receivedAt());
        // the house rule reads a huge value as "very long"; OpenAI's header is only believed below a day, as before
        return wait.filter(d -> d.compareTo(Duration.ofDays(1)) < 0);
    }

    /** Parses Go's {@code time.Duration} text, the format of OpenAI's {@code x-ratelimit-reset-*} headers. */
    static Optional<Duration> goDuration(String value) {
        Matcher m = GO_DURATION.matcher(value);
        long nanos = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return Optional.empty();
            }
            double amount = Double.parseDouble(m.group(1));
            double unitNanos = switch (m.group(2)) {
                case "h" -> 3_600e9;
                case "m" -> 60e9;
                case "s" -> 1e9;
                case "ms" -> 1e6;
                case "us", "µs" -> 1e3;
                default -> 1;
            };
            nanos += (long) (amount * unitNanos);
            end = m.end();
        }
        return end == value.length() && end > 0 ? Optional.of(Duration.ofNanos(nanos)) : Optional.empty();
    }
}
