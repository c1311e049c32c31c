package ai.interviewinsights.adapters.apivideo;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * api.video's JSON, as far as this adapter reads it. Unknown fields are ignored (the mapper is configured so), which
 * keeps the adapter working when api.video adds fields.
 */
final class Wire {

    private Wire() {
    }

    /** {@code POST /auth/api-key} and {@code POST /auth/refresh}. */
    record AccessTokenJson(@JsonProperty("access_token") String accessToken,
                           @JsonProperty("refresh_token") String refreshToken,
                           @JsonProperty("expires_in") Long expiresIn) {
        @Override
        public String toString() {
            return "AccessTokenJson[***]"; // the record's own toString would print both tokens
        }
    }

    /**
     * {@code POST /videos}'s body. Left out on purpose: {@code language} and {@code transcript} (the platform has its
     * own transcript), {@code playerId}, {@code watermark}.
     */
    record VideoCreationJson(String title, List<String> tags, List<MetadataJson> metadata,
                             @JsonProperty("public") boolean publicVideo, boolean mp4Support) {
    }

    /** One {@code {key, value}} pair of a video's metadata. */
    record MetadataJson(String key, String value) {
    }

    /** {@code POST /upload-tokens}'s body: the TTL in seconds, where 0 would mean "never expires". */
    record TokenCreationJson(long ttl) {
    }

    /** {@code POST /videos}, {@code GET /videos/{videoId}}. */
    record VideoJson(String videoId, AssetsJson assets) {
    }

    /** A video's {@code assets}. {@code iframe} is HTML, not a URL, and is left out on purpose. */
    record AssetsJson(String hls, String player, String thumbnail, String mp4) {
    }

    /** {@code POST /upload-tokens}. */
    record UploadTokenJson(String token, Long ttl, String createdAt, String expiresAt) {
        @Override
        public String toString() {
            return "UploadTokenJson[token=***, ttl=" + ttl + ", expiresAt=" + expiresAt + "]";
        }
    }

    /** {@code GET /videos/{videoId}/status}. */
    record VideoStatusJson(IngestJson ingest, EncodingJson encoding) {
    }

    /** {@code ingest.status}: uploading, uploaded, ingesting, ingested. */
    record IngestJson(String status) {
    }

    record EncodingJson(Boolean playable, List<QualityJson> qualities) {
    }

    /** One rendition: {@code type} hls or mp4, {@code status} waiting, encoding, encoded or failed. */
    record QualityJson(String type, String quality, String status) {
    }

    /** api.video's error body: {@code type} is a documentation URL, {@code name} the offending parameter. */
    record ProblemJson(String type, String title, String name, Integer status, List<ProblemJson> problems) {
    }

    /** A webhook delivery's body. */
    record WebhookJson(String type, String emittedAt, String videoId, String liveStreamId, String encoding,
                       String quality) {
    }
}
