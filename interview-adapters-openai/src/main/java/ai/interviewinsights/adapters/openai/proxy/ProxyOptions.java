package ai.interviewinsights.adapters.openai.proxy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * How the proxy bridges a call.
 *
 * @param prebufferMs   the jitter buffer: how much of the interviewer's voice is queued before playback starts
 *                      (0..500 ms; OpenAI sends faster than real time, so this costs latency once per reply)
 * @param answerTimeout how long answering the browser's offer may take (ICE gathering included), and opening
 *                      OpenAI's WebSocket before it
 * @param audit         told of every browser client event refused for trying to change the interviewer
 * @param recording     where each call's audio is recorded ({@link CallAudio}), or null: not recorded (the default)
 * @param reconnect     how hard the bridge tries to get OpenAI's socket back when it drops mid-call ({@link Reconnect})
 * @param incidents     told when OpenAI's socket dropped and came back, or was lost for good (a stable code each)
 */
public record ProxyOptions(int prebufferMs, Duration answerTimeout, Consumer<RefusedClientEvent> audit,
                           CallAudio recording, Reconnect reconnect, Consumer<UpstreamIncident> incidents) {

    /**
     * The bridge's answer to OpenAI's socket dropping mid-call (a network blip, a restarted load balancer): up to
     * {@code attempts} new sockets, the first after {@code firstBackoff}, each wait twice the one before, all of them
     * within {@code window} of the drop (an attempt that would start later is not made). Zero attempts: a drop ends the
     * call at once. A refusal (a 4xx other than 408/429 on the handshake, or a 4xxx close) is never retried. A socket
     * that drops again within {@code window} of coming back continues the same count, so a flapping connection is not
     * retried for ever.
     */
    public record Reconnect(int attempts, Duration firstBackoff, Duration window) {
        public Reconnect {
            if (attempts < 0 || attempts > 10) {
                throw new IllegalArgumentException("attempts must be 0..10");
            }
            Objects.requireNonNull(firstBackoff, "firstBackoff");
            Objects.requireNonNull(window, "window");
            if (firstBackoff.isNegative() || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("firstBackoff >= 0 and window > 0");
            }
        }

        /** Three attempts within ten seconds: 0.5 s, 1 s and 2 s after the drop and each failure. */
        public static Reconnect defaults() {
            return new Reconnect(3, Duration.ofMillis(500), Duration.ofSeconds(10));
        }

        /** No reconnect: a drop ends the call (the behaviour before ADR 0023). */
        public static Reconnect never() {
            return new Reconnect(0, Duration.ZERO, Duration.ofSeconds(1));
        }

        /** The wait before attempt {@code n} (1-based). */
        Duration backoff(int n) {
            return firstBackoff.multipliedBy(1L << Math.min(n - 1, 16));
        }
    }

    /**
     * Records each call's audio, both sides as they happened, to {@code <directory>/<call id>.wav} (16-bit stereo,
     * 24 kHz: left what OpenAI heard, right what the candidate heard); when the call is over, {@code recorded} is
     * handed the finished file, which is then the caller's to store and delete (it holds personal data).
     *
     * @param wanted asked as each call is bridged whether to record it (a runner learns from its session whether
     *               recording is on, after the gateway was built); a call it declines writes nothing at all
     */
    public record CallAudio(Path directory, Consumer<Path> recorded, BooleanSupplier wanted) {
        public CallAudio {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(recorded, "recorded");
            Objects.requireNonNull(wanted, "wanted");
        }

        /** Every call recorded. */
        public CallAudio(Path directory, Consumer<Path> recorded) {
            this(directory, recorded, () -> true);
        }
    }

    public ProxyOptions {
        if (prebufferMs < 0 || prebufferMs > 500) {
            throw new IllegalArgumentException("prebufferMs must be 0..500");
        }
        Objects.requireNonNull(answerTimeout, "answerTimeout");
        if (answerTimeout.isNegative() || answerTimeout.isZero()) {
            throw new IllegalArgumentException("answerTimeout must be positive");
        }
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(reconnect, "reconnect");
        Objects.requireNonNull(incidents, "incidents");
    }

    /**
     * 60 ms of jitter buffer, 10 s to answer, refusals reported to {@code audit}, {@link Reconnect#defaults()},
     * incidents not reported (the bridge logs them).
     */
    public static ProxyOptions defaults(Consumer<RefusedClientEvent> audit) {
        return new ProxyOptions(60, Duration.ofSeconds(10), audit, null, Reconnect.defaults(), incident -> { });
    }

    /** The same, recording each call's audio ({@link CallAudio}). */
    public ProxyOptions withRecording(Path directory, Consumer<Path> recorded) {
        return withRecording(new CallAudio(directory, recorded));
    }

    /** The same, recording the calls {@code recording} wants. */
    public ProxyOptions withRecording(CallAudio recording) {
        return new ProxyOptions(prebufferMs, answerTimeout, audit, Objects.requireNonNull(recording, "recording"),
                reconnect, incidents);
    }

    public ProxyOptions withPrebufferMs(int ms) {
        return new ProxyOptions(ms, answerTimeout, audit, recording, reconnect, incidents);
    }

    /** The same, with another reconnect policy. */
    public ProxyOptions withReconnect(Reconnect policy) {
        return new ProxyOptions(prebufferMs, answerTimeout, audit, recording, policy, incidents);
    }

    /** The same, telling {@code told} of every drop of OpenAI's socket and its outcome. */
    public ProxyOptions withIncidents(Consumer<UpstreamIncident> told) {
        return new ProxyOptions(prebufferMs, answerTimeout, audit, recording, reconnect, told);
    }
}
