package ai.interviewinsights.domain.model.recording;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.Require;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Where a recording is on its way from the browser to a playable video, and its assets once playable.
 *
 * @param assets   the provider's asset kinds (its own names, shown to staff as they are) to URL; empty until playable
 * @param playback the one URL a report links to, chosen by the adapter that knows the provider's assets; {@code null}
 *                 until the video is playable
 */
public record RecordingStatus(VideoId videoId, Phase phase, Map<String, URI> assets, URI playback) {

    /** The recording's phase. */
    public enum Phase { UPLOADING, PROCESSING, PLAYABLE, FAILED }

    public RecordingStatus {
        Require.present(videoId, "video_id");
        Require.present(phase, "phase");
        assets = Map.copyOf(assets == null ? Map.of() : assets);
        if (playback != null && phase != Phase.PLAYABLE) {
            throw DomainException.invalid("invalid.playback", "only a playable recording has a playback URL");
        }
    }

    /** A recording with nothing to play yet (or whose assets offer nothing a report can link to). */
    public RecordingStatus(VideoId videoId, Phase phase, Map<String, URI> assets) {
        this(videoId, phase, assets, null);
    }

    public Optional<URI> asset(String kind) {
        return Optional.ofNullable(assets.get(kind));
    }

    /** The URL a report links to, once playable. */
    public Optional<URI> playbackUrl() {
        return Optional.ofNullable(playback);
    }
}
