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
 */
public record ProxyOptions(int prebufferMs, Duration answerTimeout, Consumer<RefusedClientEvent> audit,
                           CallAudio recording) {

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
    }

    /** 60 ms of jitter buffer, 10 s to answer, refusals reported to {@code audit}. */
    public static ProxyOptions defaults(Consumer<RefusedClientEvent> audit) {
        return new ProxyOptions(60, Duration.ofSeconds(10), audit, null);
    }

    /** The same, recording each call's audio ({@link CallAudio}). */
    public ProxyOptions withRecording(Path directory, Consumer<Path> recorded) {
        return withRecording(new CallAudio(directory, recorded));
    }

    /** The same, recording the calls {@code recording} wants. */
    public ProxyOptions withRecording(CallAudio recording) {
        return new ProxyOptions(prebufferMs, answerTimeout, audit, Objects.requireNonNull(recording, "recording"));
    }

    public ProxyOptions withPrebufferMs(int ms) {
        return new ProxyOptions(ms, answerTimeout, audit, recording);
    }
}
