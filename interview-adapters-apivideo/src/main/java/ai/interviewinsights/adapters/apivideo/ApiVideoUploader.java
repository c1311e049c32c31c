package ai.interviewinsights.adapters.apivideo;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.recording.CallAudioGrant;
import ai.interviewinsights.domain.port.out.CallAudioUploader;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * api.video's delegated upload, from a server: {@code POST /upload?token=...} with the file in chunks, each a
 * multipart body ({@code file}, and {@code videoId} so every chunk lands in the grant's video) with
 * {@code Content-Range: bytes start-end/total}; no {@code Authorization} header, the token is the only credential
 * (the API key never reaches the uploader). A chunk answered with a 429 (waiting what
 * {@code X-RateLimit-Retry-After} says), a 5xx or a network failure is sent again; anything else ends the upload.
 *
 * <p>Logs say {@code POST /upload?token=***} and the byte range, never the token; errors never carry it either (an
 * exception's message is dropped: OkHttp's may quote the URL).
 */
final class ApiVideoUploader implements CallAudioUploader {

    private static final Logger LOG = LoggerFactory.getLogger(ApiVideoUploader.class);
    private static final MediaType WAV = MediaType.get("audio/wav");
    /** api.video's largest upload. */
    static final long MAX_FILE = 30L * 1024 * 1024 * 1024;
    private static final int MAX_CHUNKS = 10_000;

    private record Reply(int status, Optional<Duration> retryAfter, String failure) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final OkHttpClient http;
    private final ApiVideoUploadConfig config;
    private final Clock clock;
    private final RetryPolicy<Reply> retry;

    ApiVideoUploader(OkHttpClient http, ApiVideoUploadConfig config, Clock clock) {
        this.http = http;
        this.config = config;
        this.clock = clock;
        Duration maxWait = config.maxRetryWait();
        Duration first = config.retryBackoff().compareTo(maxWait) < 0 ? config.retryBackoff() : maxWait;
        this.retry = RetryPolicy.<Reply>builder()
                .handleIf((reply, failure) -> failure == null && reply != null && retryable(reply))
                .abortIf(reply -> reply != null && reply.retryAfter().map(d -> d.compareTo(maxWait) > 0)
                        .orElse(false))
                .withMaxRetries(config.maxRetries())
                .withBackoff(first.isZero() ? Duration.ofMillis(1) : first,
                        maxWait.compareTo(first) > 0 ? maxWait : first.plusMillis(2))
                .withDelayFn(ctx -> ctx.getLastResult() == null ? Duration.ofMillis(-1)
                        : ctx.getLastResult().retryAfter().orElse(Duration.ofMillis(-1)))
                .onRetryScheduled(event -> LOG.warn("api.video POST /upload?token=*** answered {}; retry {} in {} ms",
                        event.getLastResult() == null || event.getLastResult().status() < 0
                                ? "with a network failure" : "HTTP " + event.getLastResult().status(),
                        event.getAttemptCount(), event.getDelay().toMillis()))
                .build();
    }

    @Override
    public void upload(CallAudioGrant grant, Path file) {
        long total;
        try {
            total = Files.size(file);
        } catch (IOException e) {
            throw new DomainException(ErrorKind.INVALID_INPUT, "recording.upload_no_file",
                    "the file to upload cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (total == 0) {
            throw DomainException.invalid("recording.upload_no_file", "the file to upload is empty");
        }
        if (total > MAX_FILE || (total + config.chunkBytes() - 1) / config.chunkBytes() > MAX_CHUNKS) {
            throw DomainException.invalid("recording.upload_too_large", "the file (" + total + " bytes) is beyond what"
                    + " one api.video video takes");
        }
        HttpUrl url = HttpUrl.get(grant.endpoint().toString()).newBuilder()
                .setQueryParameter("token", grant.upload().uploadToken().reveal()).build();
        String videoId = grant.videoId().value();
        byte[] buffer = new byte[(int) Math.min(config.chunkBytes(), total)];
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            for (long start = 0; start < total; start += config.chunkBytes()) {
                int length = (int) Math.min(config.chunkBytes(), total - start);
                in.seek(start);
                in.readFully(buffer, 0, length);
                String range = "bytes " + start + "-" + (start + length - 1) + "/" + total;
                RequestBody chunk = new MultipartBody.Builder().setType(MultipartBody.FORM)
                        .addFormDataPart("file", file.getFileName().toString(),
                                RequestBody.create(buffer, WAV, 0, length))
                        .addFormDataPart("videoId", videoId)
                        .build();
                Request request = new Request.Builder().url(url).header("Content-Range", range)
                        .header("Accept", "application/json").header("User-Agent", "interview-insights-apivideo")
                        .post(chunk).build();
                Reply reply = send(request);
                if (!reply.ok()) {
                    throw refused(reply, range);
                }
                LOG.info("api.video POST /upload?token=*** {} of video {} -> {}", range, videoId, reply.status());
            }
        } catch (IOException e) {
            throw new DomainException(ErrorKind.INVALID_INPUT, "recording.upload_no_file",
                    "the file to upload cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private Reply send(Request request) {
        try {
            return Failsafe.with(retry).get(() -> exchange(request));
        } catch (FailsafeException e) {
            return new Reply(-1, Optional.empty(), e.getClass().getSimpleName());
        }
    }

    private Reply exchange(Request request) {
        try (Response response = http.newCall(request).execute()) {
            response.body().string(); // the video, or an error: nothing in it is needed, and it is never logged
            String value = response.header("X-RateLimit-Retry-After");
            return new Reply(response.code(), RetryAfter.parse(value != null ? value : response.header("Retry-After"),
                    response.header("Date"), clock.instant()), null);
        } catch (IOException e) {
            // The message may quote the URL, which carries the token: only the class is kept.
            return new Reply(-1, Optional.empty(), e.getClass().getSimpleName());
        }
    }

    private static boolean retryable(Reply reply) {
        return reply.status() < 0 || reply.status() == 429 || reply.status() == 500 || reply.status() == 502
                || reply.status() == 503 || reply.status() == 504;
    }

    private static DomainException refused(Reply reply, String range) {
        if (retryable(reply)) {
            return new DomainException(ErrorKind.UNAVAILABLE, "recording.upload_unavailable", "api.video did not take"
                    + " the upload (" + range + ") after the retries: " + (reply.status() < 0 ? reply.failure()
                    : "HTTP " + reply.status()), true, null);
        }
        return new DomainException(ErrorKind.UPSTREAM_FAILED, "recording.upload_refused", "api.video refused the"
                + " upload (" + range + "): HTTP " + reply.status());
    }

    @Override
    public String toString() {
        return "ApiVideoUploader[" + config.chunkBytes() + " bytes a chunk]";
    }
}
