package ai.interviewinsights.adapters.apivideo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * api.video in memory, speaking its documented JSON: API-key and refresh-token authentication with bearer tokens,
 * videos with status and assets, delegated upload tokens, and the {@code {type, title, name, status}} error bodies.
 * {@link #finishEncoding} plays api.video finishing a recording.
 */
final class FakeApiVideo extends Dispatcher {

    private static final String CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final DateTimeFormatter ATOM = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx")
            .withZone(ZoneOffset.UTC);

    /** What the fake keeps of a video. */
    record Video(String videoId, JsonNode creation, Instant createdAt, String ingest, boolean playable) {
    }

    private final String apiKey;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final Set<String> accessTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> refreshTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, Video> videos = new ConcurrentHashMap<>();
    private final Map<String, Instant> uploadTokens = new ConcurrentHashMap<>();

    FakeApiVideo(String apiKey, Clock clock) {
        this.apiKey = apiKey;
        this.clock = clock;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        try {
            return route(request);
        } catch (Exception e) {
            return problem(400, "invalid-body", "The request body is not valid JSON.", "");
        }
    }

    private MockResponse route(RecordedRequest request) throws Exception {
        List<String> path = request.getUrl().pathSegments();
        String method = request.getMethod();
        if ("POST".equals(method) && path.equals(List.of("auth", "api-key"))) {
            return apiKey.equals(text(body(request), "apiKey")) ? issueTokens()
                    : problem(400, "authentication-invalid-user-credentials", "The user credentials were incorrect.",
                    "");
        }
        if ("POST".equals(method) && path.equals(List.of("auth", "refresh"))) {
            String refresh = text(body(request), "refreshToken");
            return refresh != null && refreshTokens.remove(refresh) ? issueTokens()
                    : problem(400, "authentication-invalid-user-credentials", "The user credentials were incorrect.",
                    "");
        }
        String authorization = request.getHeaders().get("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")
                || !accessTokens.contains(authorization.substring("Bearer ".length()))) {
            return problem(401, "authentication-required", "Unauthorized request.", "");
        }
        if ("POST".equals(method) && path.equals(List.of("videos"))) {
            return createVideo(body(request));
        }
        if (path.size() == 2 && path.get(0).equals("videos") && "GET".equals(method)) {
            Video video = videos.get(path.get(1));
            return video == null ? notFound("videoId") : ok(200, videoJson(video));
        }
        if (path.size() == 3 && path.get(0).equals("videos") && path.get(2).equals("status") && "GET".equals(method)) {
            Video video = videos.get(path.get(1));
            return video == null ? notFound("videoId") : ok(200, statusJson(video));
        }
        if (path.size() == 2 && path.get(0).equals("videos") && "DELETE".equals(method)) {
            return videos.remove(path.get(1)) == null ? notFound("videoId") : noContent();
        }
        if ("POST".equals(method) && path.equals(List.of("upload-tokens"))) {
            return createUploadToken(body(request));
        }
        if (path.size() == 2 && path.get(0).equals("upload-tokens") && "DELETE".equals(method)) {
            return uploadTokens.remove(path.get(1)) == null ? notFound("token") : noContent();
        }
        return problem(404, "unrecognized-request-url", "Unrecognized request URL.", "");
    }

    /** The recorder finished uploading and api.video encoded the video. */
    void finishEncoding(String videoId) {
        videos.computeIfPresent(videoId, (id, v) -> new Video(id, v.creation(), v.createdAt(), "uploaded", true));
    }

    Map<String, Video> videos() {
        return Map.copyOf(videos);
    }

    boolean tokenExists(String token) {
        return uploadTokens.containsKey(token);
    }

    /** Invalidates every access token, as if api.video had rotated them. */
    void forgetAccessTokens() {
        accessTokens.clear();
    }

    private MockResponse issueTokens() {
        String access = "eyJ" + randomId(40);
        String refresh = "def502" + randomId(40);
        accessTokens.add(access);
        refreshTokens.add(refresh);
        ObjectNode body = json.createObjectNode().put("token_type", "Bearer").put("expires_in", 3600)
                .put("access_token", access).put("refresh_token", refresh);
        return ok(200, body);
    }

    private MockResponse createVideo(JsonNode creation) {
        if (text(creation, "title") == null || text(creation, "title").isBlank()) {
            return problem(400, "invalid-attribute", "This attribute is required.", "title");
        }
        String id = "vi" + randomId(22);
        Video video = new Video(id, creation, clock.instant(), null, false);
        videos.put(id, video);
        return ok(201, videoJson(video));
    }

    private MockResponse createUploadToken(JsonNode body) {
        JsonNode ttlNode = body.get("ttl");
        long ttl = ttlNode == null ? 0 : ttlNode.asLong(-1);
        if (ttlNode != null && (!ttlNode.canConvertToLong() || ttl < 0)) {
            return problem(400, "invalid-attribute", "This attribute must be a positive integer.", "ttl");
        }
        String token = "to" + randomId(22);
        Instant now = clock.instant();
        Instant expiresAt = ttl == 0 ? Instant.MAX : now.plusSeconds(ttl); // 0: never expires
        uploadTokens.put(token, expiresAt);
        ObjectNode answer = json.createObjectNode().put("token", token).put("ttl", ttl)
                .put("createdAt", ATOM.format(now));
        if (ttl == 0) {
            answer.putNull("expiresAt");
        } else {
            answer.put("expiresAt", ATOM.format(expiresAt));
        }
        return ok(200, answer);
    }

    private ObjectNode videoJson(Video video) {
        ObjectNode node = json.createObjectNode();
        node.put("videoId", video.videoId());
        node.put("title", text(video.creation(), "title"));
        node.put("createdAt", ATOM.format(video.createdAt()));
        node.set("tags", video.creation().has("tags") ? video.creation().get("tags") : json.createArrayNode());
        node.set("metadata", video.creation().has("metadata") ? video.creation().get("metadata")
                : json.createArrayNode());
        boolean isPublic = !video.creation().has("public") || video.creation().get("public").asBoolean();
        node.put("public", isPublic);
        node.put("mp4Support", !video.creation().has("mp4Support") || video.creation().get("mp4Support").asBoolean());
        String token = isPublic ? "" : "/token/" + randomId(8);
        ObjectNode assets = node.putObject("assets");
        String player = "https://embed.api.video/vod/" + video.videoId() + (isPublic ? "" : "?token=" + randomId(8));
        assets.put("iframe", "<iframe src=\"" + player + "\"></iframe>");
        assets.put("player", player);
        assets.put("hls", "https://vod.api.video/vod/" + video.videoId() + token + "/hls/manifest.m3u8");
        assets.put("thumbnail", "https://vod.api.video/vod/" + video.videoId() + token + "/thumbnail.jpg");
        assets.put("mp4", "https://vod.api.video/vod/" + video.videoId() + token + "/mp4/source.mp4");
        return node;
    }

    private ObjectNode statusJson(Video video) {
        ObjectNode node = json.createObjectNode();
        if (video.ingest() == null) {
            node.putNull("ingest");
        } else {
            node.putObject("ingest").put("status", video.ingest()).put("filesize", 1_048_576);
        }
        ObjectNode encoding = node.putObject("encoding");
        encoding.put("playable", video.playable());
        ArrayNode qualities = encoding.putArray("qualities");
        if (video.ingest() != null) {
            String state = video.playable() ? "encoded" : "waiting";
            qualities.addObject().put("type", "hls").put("quality", "240p").put("status", state);
            qualities.addObject().put("type", "mp4").put("quality", "720p").put("status", state);
        }
        encoding.putObject("metadata").putNull("duration");
        return node;
    }

    private String randomId(int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(CHARS.charAt(random.nextInt(CHARS.length())));
        }
        return id.toString();
    }

    private JsonNode body(RecordedRequest request) throws Exception {
        return request.getBody() == null || request.getBody().size() == 0 ? json.createObjectNode()
                : json.readTree(request.getBody().utf8());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private MockResponse ok(int code, JsonNode body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
                .addHeader("X-RateLimit-Limit", "100").addHeader("X-RateLimit-Remaining", "99")
                .body(body.toString()).build();
    }

    private static MockResponse noContent() {
        return new MockResponse.Builder().code(204).build();
    }

    private MockResponse notFound(String name) {
        return problem(404, "resource-not-found", "The requested resource was not found.", name);
    }

    private MockResponse problem(int status, String type, String title, String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://docs.api.video/reference/" + type);
        body.put("title", title);
        body.put("name", name);
        body.put("status", status);
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/problem+json")
                .body(json.valueToTree(body).toString()).build();
    }
}
