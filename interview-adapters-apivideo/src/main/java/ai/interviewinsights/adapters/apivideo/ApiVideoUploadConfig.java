package ai.interviewinsights.adapters.apivideo;

import java.time.Duration;
import java.util.Objects;

/**
 * How a holder of a delegated upload token uploads a file to api.video (a proxy runner storing its call's audio):
 * no API key here, only how big each chunk is and how failures are retried. api.video takes chunks of 5 MiB to
 * 200 MiB (the last one may be smaller), at most 10,000 of them, for a file of at most 30 GiB.
 *
 * @param chunkBytes   bytes per {@code POST /upload} (a file that fits is sent in one)
 * @param maxRetries   tries after the first for one chunk, on a 429, a 5xx or a network failure
 * @param retryBackoff the first wait between tries (doubling), unless api.video says how long to wait
 * @param maxRetryWait the longest wait; a {@code X-RateLimit-Retry-After} beyond it ends the upload
 * @param callTimeout  how long one chunk's request may take
 */
public record ApiVideoUploadConfig(int chunkBytes, int maxRetries, Duration retryBackoff, Duration maxRetryWait,
                                   Duration callTimeout) {

    /** The smallest chunk api.video takes (except the last). */
    public static final int MIN_CHUNK = 5 * 1024 * 1024;
    /** The largest chunk api.video takes. */
    public static final int MAX_CHUNK = 200 * 1024 * 1024;

    public ApiVideoUploadConfig {
        if (chunkBytes < 1 || chunkBytes > MAX_CHUNK) {
            throw new IllegalArgumentException("chunkBytes must be 1.." + MAX_CHUNK);
        }
        if (maxRetries < 0 || maxRetries > 20) {
            throw new IllegalArgumentException("maxRetries must be 0..20");
        }
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        Objects.requireNonNull(maxRetryWait, "maxRetryWait");
        Objects.requireNonNull(callTimeout, "callTimeout");
        if (retryBackoff.isNegative() || maxRetryWait.isNegative() || callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }

    /**
     * 64 MiB chunks (a 30-minute call's 173 MB WAV in three requests), 5 retries a chunk from 1 s doubling up to
     * 60 s, 5 minutes a chunk (64 MiB at 2 Mbit/s still fits).
     */
    public static ApiVideoUploadConfig defaults() {
        return new ApiVideoUploadConfig(64 * 1024 * 1024, 5, Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofMinutes(5));
    }

    public ApiVideoUploadConfig withChunkBytes(int bytes) {
        return new ApiVideoUploadConfig(bytes, maxRetries, retryBackoff, maxRetryWait, callTimeout);
    }

    public ApiVideoUploadConfig withRetries(int retries, Duration backoff, Duration maxWait) {
        return new ApiVideoUploadConfig(chunkBytes, retries, backoff, maxWait, callTimeout);
    }
}
