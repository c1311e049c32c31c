package ai.interviewinsights.app.runner;

import ai.interviewinsights.app.http.Dtos;
import ai.interviewinsights.app.http.Json;
import ai.interviewinsights.app.http.Problem;
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
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A runner's way to the control plane: its internal API over HTTP, authenticated with the runner's session token.
 * Every call it makes is idempotent on the server (transcript keys, repeated ends), so transient failures (connection
 * refused, 502/503/504, 429) are retried with exponential backoff and jitter before the error reaches the runner,
 * whose outbox keeps anything unsent for the next attempt.
 */
public final class HttpControlPlane implements ControlPlane {

    private final URI base;
    private final Secret token;
    private final HttpClient http;
    private final ObjectMapper json = Json.mapper();
    private final RetryPolicy<HttpResponse<String>> retries;

    public HttpControlPlane(URI base, Secret token, Duration maxRetryTime) {
        this.base = base;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.retries = RetryPolicy.<HttpResponse<String>>builder()
                .handle(IOException.class)
                .handleResultIf(r -> r.statusCode() == 429 || r.statusCode() == 502 || r.statusCode() == 503
                        || r.statusCode() == 504)
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(5))
                .withJitter(0.25)
                .withMaxDuration(maxRetryTime)
                .withMaxRetries(-1)
                .build();
    }

    @Override
    public RunnerAssignment assignment() {
        Dtos.AssignmentView view = read(send("GET", "/internal/runner/assignment", null), Dtos.AssignmentView.class);
        return new RunnerAssignment(SessionStatus.valueOf(view.status().toUpperCase(Locale.ROOT)),
                view.realtime().toDomain(), view.storedEntries());
    }

    @Override
    public void callConnected(RealtimeCallId call) {
        send("POST", "/internal/runner/call", new Dtos.CallConnectedBody(call.value()));
    }

    @Override
    public AppendResult recordTranscript(List<TranscriptEntry> entries) {
        Dtos.AppendView view = read(send("POST", "/internal/runner/transcript",
                new Dtos.TranscriptBatch(entries.stream().map(Dtos.EntryView::of).toList())), Dtos.AppendView.class);
        return new AppendResult(view.stored().stream().map(IdempotencyKey::of).toList(),
                view.duplicates().stream().map(IdempotencyKey::of).toList());
    }

    @Override
    public void entryDropped(IdempotencyKey key, String code, String reason) {
        send("POST", "/internal/runner/transcript/dropped", new Dtos.DroppedEntryBody(key.value(), code, reason));
    }

    @Override
    public void ended(EndReason reason, RecordingReport recording) {
        send("POST", "/internal/runner/end", new Dtos.RunnerEndBody(reason.name().toLowerCase(Locale.ROOT),
                recording == null ? null : recording.playbackUrl().map(URI::toString).orElse(null),
                recording == null ? null : recording.video().map(VideoId::value).orElse(null)));
    }

    @Override
    public void failed(String reason) {
        send("POST", "/internal/runner/fail", new Dtos.RunnerFailBody(reason));
    }

    private String send(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token.reveal())
                .header("Accept", "application/json");
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            }
            HttpResponse<String> response = Failsafe.with(retries)
                    .get(() -> http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
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
    private DomainException asDomainError(HttpResponse<String> response) {
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
