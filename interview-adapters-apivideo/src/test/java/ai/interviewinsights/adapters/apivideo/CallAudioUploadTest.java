package ai.interviewinsights.adapters.apivideo;

import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.json;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.take;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.recording.CallAudioGrant;
import ai.interviewinsights.domain.model.recording.UploadGrant;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.port.out.CallAudioUploader;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MultipartReader;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proxy runner's call audio goes to api.video with a delegated upload token (ADR 0021): {@code POST /upload?token=},
 * the file in chunks with {@code Content-Range: bytes start-end/total}, each into the grant's video, no
 * {@code Authorization} header (the runner holds no API key); 429 and 5xx are retried, the token never logged.
 */
class CallAudioUploadTest {

    private static final String TOKEN = "to1tcmSFHeYY5KzyhOqVKMKb";
    private static final String VIDEO = "vi4k0jvEUuaTdRAEjQ4Jfrgz";

    private final MockWebServer server = new MockWebServer();
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CallAudioUploader uploader(int chunk, int retries) {
        return ApiVideo.callAudioUploader(ApiVideoUploadConfig.defaults().withChunkBytes(chunk)
                .withRetries(retries, Duration.ofMillis(10), Duration.ofSeconds(2)), Clock.systemUTC(),
                new OkHttpClient());
    }

    private CallAudioGrant grant() {
        return new CallAudioGrant(new UploadGrant(new VideoId(VIDEO), Secret.of(TOKEN),
                Instant.parse("2026-11-29T06:00:00Z")), URI.create(server.url("/upload").toString()));
    }

    private Path file(int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(7).nextBytes(bytes);
        Path file = dir.resolve("proxy_abc.wav");
        Files.write(file, bytes);
        return file;
    }

    private static MockResponse created() {
        return json(201, "{\"videoId\": \"" + VIDEO + "\", \"title\": \"call audio\"}");
    }

    /** The multipart body's parts by name: {@code file} (bytes) and {@code videoId}. */
    private static byte[] part(RecordedRequest request, String name) throws Exception {
        String type = request.getHeaders().get("Content-Type");
        String boundary = type.replaceAll(".*boundary=\"?([^\";]+)\"?.*", "$1");
        try (MultipartReader reader = new MultipartReader(new okio.Buffer().write(request.getBody()), boundary)) {
            MultipartReader.Part p;
            while ((p = reader.nextPart()) != null) {
                if (p.headers().get("Content-Disposition").contains("name=\"" + name + "\"")) {
                    return p.body().readByteArray();
                }
            }
        }
        return null;
    }

    @Test
    void the_file_goes_up_in_chunks_with_the_token_and_content_range_and_no_api_key() throws Exception {
        Path file = file(2_500);
        for (int i = 0; i < 3; i++) {
            server.enqueue(created());
        }

        uploader(1_000, 2).upload(grant(), file);

        List<String> ranges = new ArrayList<>();
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            RecordedRequest request = take(server);
            assertEquals("POST", request.getMethod());
            assertEquals("/upload", request.getUrl().encodedPath());
            assertEquals(TOKEN, request.getUrl().queryParameter("token"));
            assertNull(request.getHeaders().get("Authorization"), "a delegated upload carries no credential but"
                    + " the token");
            assertTrue(request.getHeaders().get("Content-Type").startsWith("multipart/form-data"));
            assertEquals(VIDEO, new String(part(request, "videoId")), "every chunk goes into the grant's video");
            ranges.add(request.getHeaders().get("Content-Range"));
            whole.writeBytes(part(request, "file"));
        }
        assertEquals(List.of("bytes 0-999/2500", "bytes 1000-1999/2500", "bytes 2000-2499/2500"), ranges);
        assertArrayEquals(Files.readAllBytes(file), whole.toByteArray(), "the chunks join into the file");
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void a_small_file_goes_up_in_one_request() throws Exception {
        server.enqueue(created());
        uploader(ApiVideoUploadConfig.MIN_CHUNK, 0).upload(grant(), file(4_000));
        assertEquals("bytes 0-3999/4000", take(server).getHeaders().get("Content-Range"));
    }

    @Test
    void a_5xx_and_a_429_are_retried_and_the_chunk_is_sent_again_the_same() throws Exception {
        Path file = file(1_500);
        server.enqueue(json(503, "{\"title\": \"Service unavailable\", \"status\": 503}"));
        server.enqueue(new MockResponse.Builder().code(429).addHeader("X-RateLimit-Retry-After", "0")
                .addHeader("Content-Type", "application/json")
                .body("{\"type\": \"https://docs.api.video/reference/too-many-requests\", \"title\": \"Too many"
                        + " requests.\", \"status\": 429}").build());
        server.enqueue(created());
        server.enqueue(created());

        uploader(1_000, 3).upload(grant(), file);

        List<String> ranges = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ranges.add(take(server).getHeaders().get("Content-Range"));
        }
        assertEquals(List.of("bytes 0-999/1500", "bytes 0-999/1500", "bytes 0-999/1500", "bytes 1000-1499/1500"),
                ranges);
    }

    @Test
    void when_the_retries_run_out_the_failure_has_a_stable_code_and_no_token() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.enqueue(json(502, "{\"title\": \"Bad gateway\", \"status\": 502}"));
        }
        try (LogCapture logs = new LogCapture()) {
            DomainException e = assertThrows(DomainException.class, () -> uploader(1_000, 2).upload(grant(),
                    file(500)));
            assertEquals("recording.upload_unavailable", e.code());
            assertFalse(e.getMessage().contains(TOKEN));
            assertEquals(3, server.getRequestCount(), "the first try and two retries");
            assertFalse(logs.contains(TOKEN), "the token is never logged: " + logs.lines());
            assertTrue(logs.contains("POST /upload?token=***"));
        }
    }

    @Test
    void a_refusal_ends_the_upload_at_once() throws Exception {
        server.enqueue(json(401, "{\"type\": \"https://docs.api.video/reference/authentication-required\","
                + " \"title\": \"Unauthorized request.\", \"status\": 401}"));
        DomainException e = assertThrows(DomainException.class, () -> uploader(1_000, 3).upload(grant(),
                file(500)));
        assertEquals("recording.upload_refused", e.code());
        assertEquals(1, server.getRequestCount(), "a refusal is not retried");
    }

    @Test
    void an_unreachable_api_video_fails_with_a_stable_code_and_no_token() throws Exception {
        CallAudioGrant unreachable = new CallAudioGrant(grant().upload(), URI.create("http://127.0.0.1:1/upload"));
        try (LogCapture logs = new LogCapture()) {
            DomainException e = assertThrows(DomainException.class, () -> uploader(1_000, 1).upload(unreachable,
                    file(500)));
            assertEquals("recording.upload_unavailable", e.code());
            assertFalse(e.getMessage().contains(TOKEN));
            assertFalse(logs.contains(TOKEN), "the token is never logged: " + logs.lines());
        }
    }

    @Test
    void an_empty_or_missing_file_is_refused_before_anything_is_sent() throws Exception {
        Files.write(dir.resolve("empty.wav"), new byte[0]);
        assertEquals("recording.upload_no_file", assertThrows(DomainException.class,
                () -> uploader(1_000, 0).upload(grant(), dir.resolve("empty.wav"))).code());
        assertEquals("recording.upload_no_file", assertThrows(DomainException.class,
                () -> uploader(1_000, 0).upload(grant(), dir.resolve("absent.wav"))).code());
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void neither_the_grant_nor_the_uploader_shows_the_token() {
        assertFalse(grant().toString().contains(TOKEN));
        assertFalse(grant().upload().toString().contains(TOKEN));
        assertFalse(uploader(1_000, 0).toString().contains(TOKEN));
    }

    @Test
    void the_gateway_tells_where_its_uploads_go() {
        assertEquals(URI.create(server.url("/upload").toString()),
                ApiVideoTestSupport.gateway(server, Clock.systemUTC()).uploadEndpoint().orElseThrow());
    }
}
