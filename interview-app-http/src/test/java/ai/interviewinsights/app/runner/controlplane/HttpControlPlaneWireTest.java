package ai.interviewinsights.app.runner.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.interviewinsights.app.controlplane.runnerapi.RunnerApi;
import ai.interviewinsights.app.web.Json;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runner's control-plane client on the wire (decision 26, amended): it asks for uncompressed replies, so a
 * transcript reply larger than the server's compression threshold is neither deflated by the control plane nor
 * inflated by the runner. Every request carries the runner's token and asks for JSON. A real Javalin server with its
 * default compression, a real {@link HttpControlPlane}.
 */
class HttpControlPlaneWireTest {

    private static final ObjectMapper JSON = Json.mapper();

    private Javalin controlPlane;
    private final List<String> acceptEncodings = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> accepts = new CopyOnWriteArrayList<>();
    private final List<Integer> entriesReceived = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        controlPlane = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = 0;
            config.routes.post(RunnerApi.TRANSCRIPT, ctx -> {
                acceptEncodings.add(String.valueOf(ctx.header("Accept-Encoding")));
                authorizations.add(String.valueOf(ctx.header("Authorization")));
                accepts.add(String.valueOf(ctx.header("Accept")));
                RunnerApi.TranscriptBatch batch = JSON.readValue(ctx.body(), RunnerApi.TranscriptBatch.class);
                entriesReceived.add(batch.entries().size());
                ctx.contentType("application/json").result(JSON.writeValueAsString(new RunnerApi.AppendView(
                        batch.entries().stream().map(RunnerApi.Entry::key).toList(), List.of())));
            });
        }).start();
    }

    @AfterEach
    void stop() {
        controlPlane.stop();
    }

    @Test
    void a_large_transcript_reply_travels_uncompressed_and_reads_back_whole() throws Exception {
        HttpControlPlane client = new HttpControlPlane(URI.create("http://127.0.0.1:" + controlPlane.port()),
                Secret.of("runner-token"), Duration.ofSeconds(2));
        SessionId session = new SessionId(UUID.randomUUID());
        List<TranscriptEntry> entries = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            entries.add(new TranscriptEntry(session, IdempotencyKey.of("item_wire_test_" + i), Speaker.CANDIDATE,
                    "entry " + i, Instant.parse("2026-11-22T10:00:00.123Z").plusMillis(i), i,
                    TranscriptSource.CLIENT, ai.interviewinsights.domain.model.transcript.EntryStatus.COMPLETE,
                    null, null));
        }

        AppendResult result = client.recordTranscript(entries);

        assertEquals(List.of("identity"), acceptEncodings);
        assertEquals(List.of(300), entriesReceived);
        assertEquals(entries.stream().map(TranscriptEntry::key).toList(), result.stored());
        assertEquals(List.of(), result.duplicates());
        // The same reply asked for with gzip is compressed by this server: what the header spares is real.
        String body = JSON.writeValueAsString(new RunnerApi.TranscriptBatch(entries.stream()
                .map(RunnerApi.Entry::of).toList()));
        HttpResponse<byte[]> gzipped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + controlPlane.port() + RunnerApi.TRANSCRIPT)).header("Accept-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse("none"));
    }

    @Test
    void every_request_carries_the_token_and_asks_for_uncompressed_json_and_the_client_never_shows_the_token() {
        HttpControlPlane client = new HttpControlPlane(URI.create("http://127.0.0.1:" + controlPlane.port()),
                Secret.of("runner-token-4f0e"), Duration.ofSeconds(2));
        SessionId session = new SessionId(UUID.randomUUID());
        for (int i = 0; i < 3; i++) {
            client.recordTranscript(List.of(new TranscriptEntry(session, IdempotencyKey.of("item_header_" + i),
                    Speaker.CANDIDATE, "entry " + i, Instant.parse("2026-11-22T10:00:00Z").plusSeconds(i), i,
                    TranscriptSource.CLIENT, ai.interviewinsights.domain.model.transcript.EntryStatus.COMPLETE,
                    null, null)));
        }

        assertEquals(List.of("Bearer runner-token-4f0e", "Bearer runner-token-4f0e", "Bearer runner-token-4f0e"),
                authorizations, "the same token on every request, not only the first");
        assertEquals(List.of("application/json", "application/json", "application/json"), accepts);
        assertEquals(List.of("identity", "identity", "identity"), acceptEncodings);
        assertFalse(client.toString().contains("runner-token-4f0e"), client.toString());
    }
}
