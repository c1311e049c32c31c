package ai.interviewinsights.app.runner.controlplane;

import ai.interviewinsights.app.web.Json;
import ai.interviewinsights.app.web.Problem;
import ai.interviewinsights.app.controlplane.runnerapi.RunnerApi;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.recording.RecordingReport;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.model.session.RunnerAssignment;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.port.out.ControlPlane;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A runner's way to the control plane: its internal API over HTTP, authenticated with the runner's session token.
 * Every call it makes is idempotent on the server (transcript keys, repeated ends), so transient failures (connection
 * refused, 502/503/504, 429) are retried with exponential backoff and jitter before the error reaches the runner,
 * whose outbox keeps anything unsent for the next attempt.
 *
 * <p>On OkHttp, the HTTP stack the runner's OpenAI adapter already uses: one stack per runner (decision 0017), so
 * a runner neither loads {@code java.net.http} nor keeps its selector thread. Calls are synchronous on the caller's
 * thread; socket timeouts only (a call timeout would start OkHttp's watchdog thread).
 */
public final class HttpControlPlane implements ControlPlane {

    private final URI base;
    /**
     * Each route's URL, parsed once: its few paths are RunnerApi's constants, and parsing one (host canonicalisation
     * included) was ~8% of a mostly interpreted runner's work after each answer (issue 16).
     */
    private final Map<String, HttpUrl> urls = new ConcurrentHashMap<>();
    private final Secret token;
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final OkHttpClient http;
    private final ObjectMapper json = Json.shared();
    private final FailsafeExecutor<Reply> failsafe;

    /** A reply read whole (the control plane's bodies are small). */
    private record Reply(int statusCode, String body) {
    }

    public HttpControlPlane(URI base, Secret token, Duration maxRetryTime) {
        this.base = base;
        this.token = token;
        OkHttpClient.Builder client = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(30))
                .writeTimeout(Duration.ofSeconds(30))
                // One control plane, one connection kept: warm while transcript batches flow (every second or so
                // in a call), closed after a minute without one, so that an idle runner waiting for its candidate
                // keeps no connection and, a minute later, no OkHttp clean-up thread (issue 16, goal 3).
                .connectionPool(new ConnectionPool(1, 1, TimeUnit.MINUTES));
        if ("http".equalsIgnoreCase(base.getScheme())) {
            // A plain-HTTP control plane (the local one, on loopback): OkHttp would otherwise load the platform's
            // trust store at construction, before the runner is ready, for TLS it never uses.
            client.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        }
        this.http = client.build();
        RetryPolicy<Reply> retries = RetryPolicy.<Reply>builder()
                .handle(IOException.class)
                .handleResultIf(r -> r.statusCode() == 429 || r.statusCode() == 502 || r.statusCode() == 503
                        || r.statusCode() == 504)
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(5))
                .withJitter(0.25)
                .withMaxDuration(maxRetryTime)
                .withMaxRetries(-1)
                .build();
        this.failsafe = Failsafe.with(retries); // one for every request (it gets no listeners), as in OpenAiHttp
    }

    /** The assignment last fetched, or null before the first. */
    private volatile RunnerAssignment lastAssignment;

    @Override
    public RunnerAssignment assignment() {
        RunnerAssignment assignment = assignmentOf(read(send("GET", RunnerApi.ASSIGNMENT, null),
                RunnerApi.AssignmentView.class));
        lastAssignment = assignment;
        return assignment;
    }

    /** The assignment a {@code GET assignment} reply describes (also run by the relay's warm-up, on a canned one). */
    public static RunnerAssignment assignmentOf(RunnerApi.AssignmentView view) {
        return new RunnerAssignment(SessionStatus.valueOf(view.status().toUpperCase(Locale.ROOT)),
                view.realtime().toDomain(), view.storedEntries(),
                view.deadline() == null ? null : java.time.Instant.parse(view.deadline()),
                Boolean.TRUE.equals(view.recordCallAudio()));
    }

    /**
     * The assignment this client last fetched (the runner fetches it once, before its first offer), without asking
     * again: what the proxy's recorder reads, on the offer's path, to know whether to record.
     */
    public java.util.Optional<RunnerAssignment> lastAssignment() {
        return java.util.Optional.ofNullable(lastAssignment);
    }

    @Override
    public ai.interviewinsights.domain.model.recording.CallAudioGrant callAudioGrant() {
        RunnerApi.CallAudioGrantView view = read(send("POST", RunnerApi.CALL_AUDIO_GRANT, null),
                RunnerApi.CallAudioGrantView.class);
        return new ai.interviewinsights.domain.model.recording.CallAudioGrant(
                new ai.interviewinsights.domain.model.recording.UploadGrant(new VideoId(view.videoId()),
                        Secret.of(view.uploadToken()), java.time.Instant.parse(view.expiresAt())),
                URI.create(view.uploadUrl()));
    }

    @Override
    public void callAudioUploaded(VideoId video, long bytes, double seconds) {
        send("POST", RunnerApi.CALL_AUDIO_UPLOADED, new RunnerApi.CallAudioUploadedBody(video.value(), bytes,
                seconds));
    }

    @Override
    public void callAudioFailed(String code) {
        send("POST", RunnerApi.CALL_AUDIO_FAILED, new RunnerApi.CallAudioFailedBody(code));
    }

    @Override
    public void callConnected(RealtimeCallId call) {
        send("POST", RunnerApi.CALL, new RunnerApi.CallConnectedBody(call.value()));
    }

    @Override
    public AppendResult recordTranscript(List<TranscriptEntry> entries) {
        RunnerApi.AppendView view = read(send("POST", RunnerApi.TRANSCRIPT,
                new RunnerApi.TranscriptBatch(entries.stream().map(RunnerApi.Entry::of).toList())), RunnerApi.AppendView.class);
        return new AppendResult(view.stored().stream().map(IdempotencyKey::of).toList(),
                view.duplicates().stream().map(IdempotencyKey::of).toList());
    }

    @Override
    public void entryDropped(IdempotencyKey key, String code, String reason) {
        send("POST", RunnerApi.TRANSCRIPT_DROPPED, new RunnerApi.DroppedEntryBody(key.value(), code, reason));
    }

    @Override
    public void clientEventRefused(String type, String reason, List<String> fields) {
        send("POST", RunnerApi.CLIENT_EVENT_REFUSED, new RunnerApi.RefusedClientEventBody(type, reason, fields));
    }

    @Override
    public void upstreamIncident(String code, int attempts, String cause) {
        send("POST", RunnerApi.UPSTREAM_INCIDENT, new RunnerApi.UpstreamIncidentBody(code, attempts, cause));
    }

    @Override
    public void ended(EndReason reason, RecordingReport recording) {
        send("POST", RunnerApi.END, new RunnerApi.RunnerEndBody(reason.name().toLowerCase(Locale.ROOT),
                recording == null ? null : recording.playbackUrl().map(URI::toString).orElse(null),
                recording == null ? null : recording.video().map(VideoId::value).orElse(null)));
    }

    @Override
    public void failed(String reason) {
        send("POST", RunnerApi.FAIL, new RunnerApi.RunnerFailBody(reason));
    }

    private String send(String method, String path, Object body) {
        Request.Builder request = new Request.Builder().url(urls.computeIfAbsent(path,
                        p -> HttpUrl.get(base.resolve(p).toString())))
                .header("Authorization", "Bearer " + token.reveal())
                .header("Accept", "application/json")
                // Replies uncompressed (decision 26, amended): OkHttp would otherwise ask for gzip, and the control
                // plane would deflate every transcript reply over 1.5 KB (its list of keys) for the runner to inflate
                // again - CPU on both sides of a loopback or private link, for the smaller half of the exchange (the
                // request, with the texts, is not compressed either).
                .header("Accept-Encoding", "identity");
        try {
            request.method(method, body == null ? ("GET".equals(method) ? null : RequestBody.create(new byte[0], null))
                    : RequestBody.create(json.writeValueAsBytes(body), JSON_TYPE));
            Request built = request.build();
            Reply response = failsafe.get(() -> {
                try (Response r = http.newCall(built).execute()) {
                    return new Reply(r.code(), r.body().string());
                }
            });
            if (response.statusCode() / 100 == 2) {
                return response.body();
            }
            throw asDomainError(response);
        } catch (dev.failsafe.FailsafeException e) {
            throw new DomainException(ErrorKind.UNAVAILABLE, "control_plane.unreachable",
                    "the control plane could not be reached", true, e.getCause());
        } catch (IOException e) {
            throw new DomainException(ErrorKind.UNAVAILABLE, "control_plane.unreachable",
                    "the control plane could not be reached", true, e);
        }
    }

    /** The control plane's problem document, kind and code preserved, so the runner can tell the browser why. */
    private DomainException asDomainError(Reply response) {
        try {
            Problem problem = json.readValue(response.body(), Problem.class);
            ErrorKind kind = switch (response.statusCode()) {
                case 400, 413 -> ErrorKind.INVALID_INPUT;
                case 401 -> ErrorKind.UNAUTHENTICATED;
                case 403 -> ErrorKind.FORBIDDEN;
                case 404 -> ErrorKind.NOT_FOUND;
                case 409 -> ErrorKind.CONFLICT;
                case 410 -> ErrorKind.GONE;
                case 429 -> ErrorKind.RATE_LIMITED;
                case 502 -> ErrorKind.UPSTREAM_FAILED;
                default -> ErrorKind.UNAVAILABLE;
            };
            return new DomainException(kind, problem.code() == null ? "control_plane.error" : problem.code(),
                    problem.detail() == null ? "the control plane refused the call" : problem.detail(),
                    problem.isRetryable(), null);
        } catch (IOException | RuntimeException e) {
            return new DomainException(ErrorKind.UNAVAILABLE, "control_plane.error",
                    "the control plane answered " + response.statusCode());
        }
    }

    private <T> T read(String body, Class<T> type) {
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new DomainException(ErrorKind.UPSTREAM_FAILED, "control_plane.malformed_reply",
                    "the control plane's reply could not be read");
        }
    }

    @Override
    public String toString() {
        return "HttpControlPlane[" + base + "]";
    }
}
