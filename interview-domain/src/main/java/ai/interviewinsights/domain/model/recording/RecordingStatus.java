package ai.interviewinsights.domain.model.recording;

import ai.interviewinsights.domain.model.Require;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Where a recording is on its way from the browser to a playable video, and its assets once playable.
 *
 * @param assets asset kind ({@code mp4}, {@code hls}, {@code player}, {@code thumbnail}) to URL; empty until playable
 */
public record RecordingStatus(String videoId, Phase phase, Map<String, URI> assets) {

    /** The recording's phase. */
    public enum Phase { UPLOADING, PROCESSING, PLAYABLE, FAILED }

    public RecordingStatus {
        videoId = Require.text(videoId, "video_id", 128);
        Require.present(phase, "phase");
        assets = Map.copyOf(assets == null ? Map.of() : assets);
    }

    public Optional<URI> asset(String kind) {
        return Optional.ofNullable(assets.get(kind));
    }
}
