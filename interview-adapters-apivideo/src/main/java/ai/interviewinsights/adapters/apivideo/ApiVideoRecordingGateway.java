package ai.interviewinsights.adapters.apivideo;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.recording.RecordingRequest;
import ai.interviewinsights.domain.model.recording.RecordingStatus;
import ai.interviewinsights.domain.model.recording.UploadGrant;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RecordingGateway} on api.video. Each interview gets its own video (title, tenant and session in its metadata
 * and tags) and a delegated upload token that lives for the interview's budget plus a margin; the browser records
 * straight into that video with the token and never sees the API key.
 *
 * <p>Where a recording is comes from {@code GET /videos/{videoId}/status}, mapped by {@link RecordingPhases}; once it
 * is playable, the assets come from {@code GET /videos/{videoId}}.
 */
final class ApiVideoRecordingGateway implements RecordingGateway {

    /** Marks every video this platform creates, so that they can be told apart in a shared workspace. */
    static final String PLATFORM_TAG = "interview-insights";

    private static final Logger LOG = LoggerFactory.getLogger(ApiVideoRecordingGateway.class);
    /** The same rule as the domain's {@code RecordingRef}. */
    private static final List<String> ASSET_KINDS = List.of("mp4", "hls", "player", "thumbnail");
    private static final List<String> PLAYBACK_PREFERENCE = List.of("mp4", "player", "hls");

    private final ApiVideoClient client;
    private final boolean privateVideos;
    private final Clock clock;

    ApiVideoRecordingGateway(ApiVideoClient client, boolean privateVideos, Clock clock) {
        this.client = client;
        this.privateVideos = privateVideos;
        this.clock = clock;
    }

    /**
     * The video and the token are asked for at once: a delegated token names no video (the browser names it with each
     * upload), so a session's start waits for one round trip to api.video instead of two. A standby runner is claimed
     * in a few tens of milliseconds, and this is the part of its {@code POST /api/sessions} that the provider's
     * distance sets (ADR 0020). Whichever half fails, the other is undone: an empty video is deleted, an unused token
     * revoked.
     */
    @Override
    public UploadGrant prepareUpload(RecordingRequest request) {
        CompletableFuture<IssuedToken> token;
        try {
            token = CompletableFuture.supplyAsync(() -> uploadToken(request.tokenLifetime()), client.background());
        } catch (RejectedExecutionException closing) {
            token = CompletableFuture.completedFuture(uploadToken(request.tokenLifetime())); // the client is closing
        }
        VideoId videoId;
        try {
            videoId = createVideo(request);
        } catch (RuntimeException | Error e) {
            revokeOrphan(token);
            throw e;
        }
        IssuedToken issued;
        try {
            issued = joined(token);
        } catch (RuntimeException | Error e) {
            discardOrphan(videoId);
            throw e;
        }
        LOG.info("api.video upload token for video {} issued, expires at {}", videoId, issued.expiresAt());
        return new UploadGrant(videoId, issued.token(), issued.expiresAt());
    }

    @Override
    public RecordingStatus status(VideoId videoId) {
        ApiVideoClient.Call call = ApiVideoClient.Call.get("read the status of video " + videoId,
                "GET /videos/{videoId}/status", "videos", videoId.value(), "status");
        ApiVideoClient.Reply reply = client.authorized(call);
        if (reply.status() == 404) {
            throw notFound(videoId);
        }
        Wire.VideoStatusJson status = client.read(call, client.expectSuccess(call, reply), Wire.VideoStatusJson.class);
        RecordingStatus.Phase phase = RecordingPhases.phaseOf(status);
        if (phase != RecordingStatus.Phase.PLAYABLE) {
            return new RecordingStatus(videoId, phase, Map.of());
        }
        Map<String, URI> assets = assets(videoId);
        return new RecordingStatus(videoId, phase, assets, playback(assets));
    }

    /**
     * What a report links to: the MP4 (plays anywhere, downloads), else api.video's player page, else the HLS
     * manifest (needs a player that speaks HLS); none of them when the video has no https asset at all.
     */
    static URI playback(Map<String, URI> assets) {
        return PLAYBACK_PREFERENCE.stream().map(assets::get).filter(Objects::nonNull).findFirst().orElse(null);
    }

    @Override
    public void delete(VideoId videoId) {
        ApiVideoClient.Call call = ApiVideoClient.Call.delete("delete video " + videoId, "DELETE /videos/{videoId}",
                List.of(), "videos", videoId.value());
        ApiVideoClient.Reply reply = client.authorized(call);
        if (reply.status() == 404) {
            LOG.debug("api.video video {} was already gone", videoId);
            return;
        }
        client.expectSuccess(call, reply);
        LOG.info("api.video video {} deleted", videoId);
    }

    /** api.video's {@code POST /upload} on the configured host: where a delegated token's holder uploads. */
    @Override
    public java.util.Optional<URI> uploadEndpoint() {
        return java.util.Optional.of(client.endpoint("upload"));
    }

    @Override
    public void revokeUploadToken(Secret uploadToken) {
        ApiVideoClient.Call call = ApiVideoClient.Call.delete("revoke an upload token",
                "DELETE /upload-tokens/{token}", List.of(uploadToken), "upload-tokens", uploadToken.reveal());
        ApiVideoClient.Reply reply = client.authorized(call);
        if (reply.status() == 404) {
            LOG.debug("api.video upload token was already gone");
            return;
        }
        client.expectSuccess(call, reply);
        LOG.info("api.video upload token revoked");
    }

    private VideoId createVideo(RecordingRequest request) {
        Wire.VideoCreationJson body = new Wire.VideoCreationJson(request.title(),
                List.of(PLATFORM_TAG, "tenant:" + request.tenant()),
                List.of(new Wire.MetadataJson("tenant_id", request.tenant().toString()),
                        new Wire.MetadataJson("session_id", request.session().toString())),
                !privateVideos, true);
        ApiVideoClient.Call call = ApiVideoClient.Call.post("create the interview's video", "POST /videos", body,
                "videos");
        ApiVideoClient.Reply reply = client.expectSuccess(call, client.authorized(call));
        Wire.VideoJson video = client.read(call, reply, Wire.VideoJson.class);
        VideoId created;
        try {
            created = new VideoId(video.videoId());
        } catch (DomainException invalid) {
            throw ApiVideoErrors.badResponse(call.operation(), "no usable videoId");
        }
        LOG.info("api.video video {} created for session {}", created, request.session());
        return created;
    }

    /** A delegated upload token, not yet given to anyone. */
    private record IssuedToken(Secret token, Instant expiresAt) {
        @Override
        public String toString() {
            return "IssuedToken[expiresAt=" + expiresAt + "]";
        }
    }

    private IssuedToken uploadToken(Duration lifetime) {
        long ttl = ttlSeconds(lifetime);
        ApiVideoClient.Call call = ApiVideoClient.Call.post("create an upload token", "POST /upload-tokens",
                new Wire.TokenCreationJson(ttl), "upload-tokens");
        Instant asked = clock.instant();
        ApiVideoClient.Reply reply = client.expectSuccess(call, client.authorized(call));
        Wire.UploadTokenJson token = client.read(call, reply, Wire.UploadTokenJson.class);
        if (token.token() == null || token.token().isBlank()) {
            throw ApiVideoErrors.badResponse(call.operation(), "no token");
        }
        Instant expiresAt = parseInstant(token.expiresAt());
        if (expiresAt == null) {
            // api.video sends expiresAt for every token with a TTL; without it, the TTL we asked for is the truth
            expiresAt = asked.plusSeconds(ttl);
        }
        return new IssuedToken(Secret.of(token.token()), expiresAt);
    }

    /** The token's outcome, its failure thrown as it was (not wrapped). */
    private static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * The TTL in whole seconds, rounded up so the token never dies before the interview does. Never 0: api.video reads
     * a TTL of 0 as "never expires" (the domain forbids a zero lifetime too; this is the second lock on that door).
     */
    static long ttlSeconds(Duration lifetime) {
        long seconds = lifetime.getSeconds() + (lifetime.getNano() > 0 ? 1 : 0);
        if (seconds < 1) {
            throw new IllegalArgumentException("an upload token's lifetime must be positive");
        }
        return Math.min(seconds, Integer.MAX_VALUE);
    }

    private Map<String, URI> assets(VideoId videoId) {
        ApiVideoClient.Call call = ApiVideoClient.Call.get("read video " + videoId, "GET /videos/{videoId}",
                "videos", videoId.value());
        ApiVideoClient.Reply reply = client.authorized(call);
        if (reply.status() == 404) {
            throw notFound(videoId); // deleted between the two calls
        }
        Wire.VideoJson video = client.read(call, client.expectSuccess(call, reply), Wire.VideoJson.class);
        Map<String, URI> assets = new LinkedHashMap<>();
        if (video.assets() != null) {
            Wire.AssetsJson a = video.assets();
            List<String> urls = Arrays.asList(a.mp4(), a.hls(), a.player(), a.thumbnail());
            for (int i = 0; i < ASSET_KINDS.size(); i++) {
                URI uri = httpsUri(urls.get(i));
                if (uri != null) {
                    assets.put(ASSET_KINDS.get(i), uri);
                }
            }
        }
        return assets;
    }

    /** An absolute https URL, or null: the domain only stores https playback URLs. */
    private static URI httpsUri(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(text.strip());
            return "https".equals(uri.getScheme()) && uri.getHost() != null ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    static Instant parseInstant(String atom) {
        if (atom == null || atom.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(atom.strip()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private void discardOrphan(VideoId videoId) {
        try {
            delete(videoId);
        } catch (DomainException e) {
            LOG.warn("api.video video {} has no upload token and could not be deleted ({}); it stays empty",
                    videoId, e.code());
        }
    }

    /** The video could not be created: the token asked for alongside it, once it is there, is revoked unused. */
    private void revokeOrphan(CompletableFuture<IssuedToken> token) {
        IssuedToken issued;
        try {
            issued = joined(token);
        } catch (RuntimeException failed) {
            return; // no token was issued
        }
        try {
            revokeUploadToken(issued.token());
        } catch (DomainException e) {
            LOG.warn("api.video upload token for a video that was never created could not be revoked ({}); "
                    + "it lapses at {}", e.code(), issued.expiresAt());
        }
    }

    private static DomainException notFound(VideoId videoId) {
        return DomainException.notFound("recording.not_found", "api.video has no video " + videoId);
    }

    @Override
    public String toString() {
        return "ApiVideoRecordingGateway";
    }
}
