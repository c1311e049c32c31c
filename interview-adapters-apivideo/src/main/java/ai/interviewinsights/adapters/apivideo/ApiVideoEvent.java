package ai.interviewinsights.adapters.apivideo;

import ai.interviewinsights.domain.model.recording.VideoId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A verified api.video webhook event this adapter understands.
 *
 * <ul>
 *   <li>{@value #ENCODING_QUALITY_COMPLETED}: one rendition of the video is encoded ({@code encoding} hls or mp4,
 *       {@code quality} such as 720p). HLS sends one per quality, MP4 one. The first one usually means playable:
 *       the usual reaction is {@code RecordRecordingReadyUseCase.recordingReady(videoId)}, which asks
 *       {@code status} for the truth and is idempotent.</li>
 *   <li>{@value #SOURCE_RECORDED}: a live stream's recording was handed to encoding ({@code liveStreamId} is not kept:
 *       the platform records through uploads, so this event matters only to embedders that stream live).</li>
 * </ul>
 *
 * @param encoding  hls or mp4, for {@value #ENCODING_QUALITY_COMPLETED}; null otherwise
 * @param quality   the rendition's quality, for {@value #ENCODING_QUALITY_COMPLETED}; null otherwise
 * @param emittedAt when api.video emitted the event; null when the delivery left it out
 */
public record ApiVideoEvent(String type, VideoId videoId, String encoding, String quality, Instant emittedAt) {

    public static final String ENCODING_QUALITY_COMPLETED = "video.encoding.quality.completed";
    public static final String SOURCE_RECORDED = "video.source.recorded";

    public ApiVideoEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(videoId, "videoId");
    }

    public Optional<String> encodingType() {
        return Optional.ofNullable(encoding);
    }

    public Optional<String> qualityLabel() {
        return Optional.ofNullable(quality);
    }
}
