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

    FakeApiVideo() throws Exception {
        server.setDispatcher(this);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getPort();
    }

    void markPlayable(String videoId) {
        playable.add(videoId);
    }

    /** A webhook delivery as api.video signs it: lowercase hex HMAC-SHA256 of the raw body. */
    static String sign(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        String method = request.getMethod();
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
            return json(200, "{\"videoId\":\"" + id + "\",\"assets\":{\"mp4\":\"https://vod.api.video/vod/" + id
                    + "/mp4/source.mp4\",\"player\":\"https://embed.api.video/vod/" + id + "\",\"hls\":"
                    + "\"https://vod.api.video/vod/" + id + "/hls/manifest.m3u8\",\"thumbnail\":"
                    + "\"https://vod.api.video/vod/" + id + "/thumbnail.jpg\"}}");
        }
        return json(404, "{\"title\":\"not found\",\"status\":404}");
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
