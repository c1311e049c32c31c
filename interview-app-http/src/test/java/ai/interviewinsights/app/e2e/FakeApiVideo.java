package ai.interviewinsights.app.e2e;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * api.video as the e2e tests need it, speaking its JSON: API-key authentication, videos, delegated upload tokens,
 * status and assets, and signed webhook bodies. {@link #markPlayable} plays the encoder finishing.
 */
public final class FakeApiVideo extends Dispatcher {

    static final String API_KEY = "apivideo-e2e-key-0123456789abcdef";
    static final String WEBHOOK_SECRET = "sig_sec_e2e0123456789abcdef";

    final MockWebServer server = new MockWebServer();
    private final AtomicInteger ids = new AtomicInteger();
    private final Set<String> videos = ConcurrentHashMap.newKeySet();
    private final Set<String> playable = ConcurrentHashMap.newKeySet();
    final Set<String> uploadTokens = ConcurrentHashMap.newKeySet();
    final Map<String, String> titles = new ConcurrentHashMap<>();
    /** Videos deleted through the API, in order. */
    final java.util.List<String> deleted = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, java.util.TreeMap<Integer, byte[]>> parts = new ConcurrentHashMap<>();
    private final Map<String, byte[]> uploaded = new ConcurrentHashMap<>();
    private final java.util.List<String> contentRanges = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger failUploads = new AtomicInteger();
    private final AtomicInteger uploadsWithAuthorization = new AtomicInteger();
    private final Map<String, java.io.ByteArrayOutputStream> byteUploads = new ConcurrentHashMap<>();

    FakeApiVideo() throws Exception {
        server.setDispatcher(this);
        server.setServerSocketFactory(new NoDelayServerSockets()); // no 40 ms Nagle stall per exchange
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getPort();
    }

    public void markPlayable(String videoId) {
        playable.add(videoId);
    }

    /** A webhook delivery as api.video signs it: lowercase hex HMAC-SHA256 of the raw body. */
    public static String sign(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
    }

    /** The next {@code count} upload requests fail with a 503, as a flaky network or an overloaded API would. */
    public void failNextUploads(int count) {
        failUploads.set(count);
    }

    /** Every Content-Range header of the delegated uploads, in arrival order (retries included). */
    public java.util.List<String> contentRanges() {
        return java.util.List.copyOf(contentRanges);
    }

    /** Where a video's {@code assets} point: api.video's delivery host, or a {@link FakeVideoCdn} that plays. */
    private volatile java.util.function.Function<String, String> mp4Asset =
            id -> "https://vod.api.video/vod/" + id + "/mp4/source.mp4";

    /** From now on, videos' mp4 assets point at this CDN, which serves what the room uploaded. */
    public void deliverFrom(FakeVideoCdn cdn) {
        mp4Asset = cdn::mp4;
    }

    /** The file reassembled from a video's parts, once its last part arrived. */
    public java.util.Optional<byte[]> uploadedFile(String videoId) {
        return java.util.Optional.ofNullable(uploaded.get(videoId));
    }

    /** How long each API answer (not an upload) waits first; 0 on loopback. */
    private volatile long latencyMillis;

    /**
     * From now on each API answer waits {@code millis} first, as api.video across a network would: the benchmark's
     * {@code POOL_APIVIDEO_MS}, to see what the provider's distance adds to a start.
     */
    public void answerAfter(long millis) {
        latencyMillis = millis;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        String path = request.getUrl().encodedPath();
        String method = request.getMethod();
        if (path.equals("/upload")) {
            return upload(request);
        }
        if (latencyMillis > 0) {
            Thread.sleep(latencyMillis);
        }
        String body = request.getBody() == null ? "" : request.getBody().utf8();
        if (path.equals("/auth/api-key") && method.equals("POST")) {
            if (!body.contains(API_KEY)) {
                return json(400, "{\"type\":\"https://docs.api.video/reference/authentication-invalid-user-credentials\","
                        + "\"title\":\"The user credentials are incorrect.\",\"name\":\"\",\"status\":400}");
            }
            return json(200, "{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"at_e2e\","
                    + "\"refresh_token\":\"rt_e2e\"}");
        }
        if (!"Bearer at_e2e".equals(request.getHeaders().get("Authorization"))) {
            return json(401, "{\"type\":\"https://docs.api.video/reference/authentication-required\","
                    + "\"title\":\"Unauthorized request.\",\"status\":401}");
        }
        if (path.equals("/videos") && method.equals("POST")) {
            String id = "vi" + String.format("%022d", ids.incrementAndGet());
            videos.add(id);
            titles.put(id, body);
            return json(201, "{\"videoId\":\"" + id + "\",\"title\":\"t\",\"assets\":{}}");
        }
        if (path.equals("/upload-tokens") && method.equals("POST")) {
            String token = "to" + String.format("%022d", ids.incrementAndGet());
            uploadTokens.add(token);
            long ttl = Long.parseLong(body.replaceAll(".*\"ttl\"\\s*:\\s*(\\d+).*", "$1"));
            return json(200, "{\"token\":\"" + token + "\",\"ttl\":" + ttl + ",\"createdAt\":\""
                    + java.time.Instant.now() + "\",\"expiresAt\":\"" + java.time.Instant.now().plusSeconds(ttl)
                    + "\"}");
        }
        String[] parts = path.split("/");
        if (parts.length >= 3 && parts[1].equals("videos")) {
            String id = parts[2];
            if (!videos.contains(id)) {
                return json(404, "{\"type\":\"https://docs.api.video/reference/resource-not-found\","
                        + "\"title\":\"The requested resource was not found.\",\"name\":\"videoId\",\"status\":404}");
            }
            if (method.equals("DELETE")) {
                videos.remove(id);
                deleted.add(id);
                return new MockResponse.Builder().code(204).build();
            }
            if (parts.length == 4 && parts[3].equals("status")) {
                boolean ready = playable.contains(id);
                return json(200, "{\"ingest\":{\"status\":\"" + (ready ? "ingested" : "uploading") + "\"},"
                        + "\"encoding\":{\"playable\":" + ready + ",\"qualities\":[{\"type\":\"mp4\","
                        + "\"quality\":\"720p\",\"status\":\"" + (ready ? "encoded" : "waiting") + "\"}]}}");
            }
            return json(200, "{\"videoId\":\"" + id + "\",\"assets\":{\"mp4\":\"" + mp4Asset.apply(id)
                    + "\",\"player\":\"https://embed.api.video/vod/" + id + "\",\"hls\":"
                    + "\"https://vod.api.video/vod/" + id + "/hls/manifest.m3u8\",\"thumbnail\":"
                    + "\"https://vod.api.video/vod/" + id + "/thumbnail.jpg\"}}");
        }
        return json(404, "{\"title\":\"not found\",\"status\":404}");
    }

    /**
     * {@code POST /upload?token=...}: api.video's delegated upload, progressive. A multipart body with {@code file}
     * and {@code videoId}; {@code Content-Range: part N/*} for a part, {@code part N/N} for the last one, which
     * finalises the video by joining the parts in order. Parts must come in order (a part sent again replaces
     * itself); browsers call it cross-origin, so it answers CORS like the real API.
     */
    private MockResponse upload(RecordedRequest request) {
        if (request.getMethod().equals("OPTIONS")) {
            return cors(new MockResponse.Builder().code(204)
                    .addHeader("Access-Control-Allow-Methods", "POST, OPTIONS")
                    .addHeader("Access-Control-Allow-Headers", "Content-Range, Content-Type")).build();
        }
        String token = request.getUrl().queryParameter("token");
        if (token == null || !uploadTokens.contains(token)) {
            return cors(jsonBuilder(401, "{\"type\":\"https://docs.api.video/reference/authentication-required\","
                    + "\"title\":\"Unauthorized request.\",\"status\":401}")).build();
        }
        String range = request.getHeaders().get("Content-Range");
        contentRanges.add(String.valueOf(range));
        if (failUploads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return cors(jsonBuilder(503, "{\"title\":\"Service unavailable\",\"status\":503}")).build();
        }
        if (request.getHeaders().get("Authorization") != null) {
            uploadsWithAuthorization.incrementAndGet();
        }
        java.util.regex.Matcher bytes = range == null ? null
                : java.util.regex.Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)").matcher(range);
        if (bytes != null && bytes.matches()) {
            return byteRange(request, Long.parseLong(bytes.group(1)), Long.parseLong(bytes.group(2)),
                    Long.parseLong(bytes.group(3)));
        }
        java.util.regex.Matcher m = range == null ? null
                : java.util.regex.Pattern.compile("part (\\d+)/(\\d+|\\*)").matcher(range);
        if (m == null || !m.matches()) {
            return cors(jsonBuilder(400, "{\"title\":\"Content-Range must be part N/total or part N/*\","
                    + "\"status\":400}")).build();
        }
        int part = Integer.parseInt(m.group(1));
        boolean last = !m.group(2).equals("*");
        String[] form = form(request);
        if (form == null) {
            return cors(jsonBuilder(400, "{\"title\":\"not a multipart body\",\"status\":400}")).build();
        }
        String videoId = form[0];
        byte[] file = form[1] == null ? null : form[1].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        if (videoId == null || !videos.contains(videoId) || file == null || file.length == 0) {
            return cors(jsonBuilder(400, "{\"title\":\"videoId and file are required\",\"status\":400}")).build();
        }
        java.util.TreeMap<Integer, byte[]> received = parts.computeIfAbsent(videoId, k -> new java.util.TreeMap<>());
        synchronized (received) {
            if (part != received.size() + 1 && !received.containsKey(part)) {
                return cors(jsonBuilder(400, "{\"title\":\"part " + part + " out of order\",\"status\":400}"))
                        .build();
            }
            if (last && Integer.parseInt(m.group(2)) != part) {
                return cors(jsonBuilder(400, "{\"title\":\"the last part is N/N\",\"status\":400}")).build();
            }
            received.put(part, file);
            if (last) {
                java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
                received.values().forEach(whole::writeBytes);
                uploaded.put(videoId, whole.toByteArray());
            }
        }
        return cors(jsonBuilder(201, "{\"videoId\":\"" + videoId + "\",\"title\":\"t\",\"assets\":{}}")).build();
    }

    /** The multipart body's {@code videoId} and {@code file} (bytes as ISO-8859-1 text), or null if it is not one. */
    private static String[] form(RecordedRequest request) {
        String videoId = null;
        byte[] file = null;
        String contentType = request.getHeaders().get("Content-Type");
        String boundary = contentType == null ? null : contentType.replaceAll(".*boundary=\"?([^\";]+)\"?.*", "$1");
        try (okhttp3.MultipartReader reader = new okhttp3.MultipartReader(new okio.Buffer().write(
                request.getBody()), boundary)) {
            okhttp3.MultipartReader.Part p;
            while ((p = reader.nextPart()) != null) {
                String disposition = p.headers().get("Content-Disposition");
                if (disposition != null && disposition.contains("name=\"videoId\"")) {
                    videoId = p.body().readUtf8();
                } else if (disposition != null && disposition.contains("name=\"file\"")) {
                    file = p.body().readByteArray();
                }
            }
        } catch (Exception e) {
            return null;
        }
        return new String[] {videoId, file == null ? null : new String(file,
                java.nio.charset.StandardCharsets.ISO_8859_1)};
    }

    /**
     * A chunk of api.video's chunked upload of a file whose size is known ({@code Content-Range: bytes a-b/total},
     * its documented form): chunks in order, each into the video named in the body; the last one completes it.
     */
    private MockResponse byteRange(RecordedRequest request, long start, long end, long total) {
        String[] form = form(request);
        if (form == null || form[0] == null || !videos.contains(form[0]) || form[1] == null) {
            return cors(jsonBuilder(400, "{\"title\":\"videoId and file are required\",\"status\":400}")).build();
        }
        byte[] chunk = form[1].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        java.io.ByteArrayOutputStream whole = byteUploads.computeIfAbsent(form[0],
                k -> new java.io.ByteArrayOutputStream());
        synchronized (whole) {
            if (start != whole.size() || end - start + 1 != chunk.length || end >= total) {
                return cors(jsonBuilder(400, "{\"title\":\"Content-Range does not match the chunk\","
                        + "\"status\":400}")).build();
            }
            whole.writeBytes(chunk);
            if (whole.size() == total) {
                uploaded.put(form[0], whole.toByteArray());
            }
        }
        return cors(jsonBuilder(201, "{\"videoId\":\"" + form[0] + "\",\"title\":\"t\",\"assets\":{}}")).build();
    }

    /** How many upload requests carried an Authorization header (a delegated upload needs none). */
    public int uploadsWithAuthorization() {
        return uploadsWithAuthorization.get();
    }

    /** The titles videos were created with (their JSON bodies), by video id. */
    public Map<String, String> titles() {
        return Map.copyOf(titles);
    }

    private static MockResponse.Builder cors(MockResponse.Builder response) {
        return response.addHeader("Access-Control-Allow-Origin", "*");
    }

    private static MockResponse.Builder jsonBuilder(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body);
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
