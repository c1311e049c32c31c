package ai.interviewinsights.domain.model.recording;

import ai.interviewinsights.domain.model.DomainException;
import java.net.URI;
import java.util.Optional;

/**
 * Where an interview's video is: the recording provider's video id (known once an upload token was issued) and a
 * playback URL (reported by the browser at the end, or learnt from the provider once the video is playable).
 */
public record RecordingRef(String videoId, URI playbackUrl) {

    public RecordingRef {
        if (videoId == null && playbackUrl == null) {
            throw new IllegalArgumentException("a recording reference needs a video id or a URL");
        }
        if (videoId != null && !videoId.matches("[A-Za-z0-9_-]{1,128}")) {
            throw DomainException.invalid("invalid.video_id", "a video id is [A-Za-z0-9_-], at most 128 characters");
        }
        if (playbackUrl != null && !"https".equals(playbackUrl.getScheme())) {
            throw DomainException.invalid("invalid.recording_url", "a recording URL must be an absolute https URL");
        }
    }

    public static RecordingRef ofVideo(String videoId) {
        return new RecordingRef(videoId, null);
    }

    /** Parses a URL reported by a client. */
    public static URI parseUrl(String text) {
        try {
            URI uri = new URI(text == null ? "" : text.strip());
            if (!"https".equals(uri.getScheme()) || uri.getHost() == null || text.length() > 2_000) {
                throw DomainException.invalid("invalid.recording_url", "a recording URL must be an absolute https URL");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw DomainException.invalid("invalid.recording_url", "a recording URL must be an absolute https URL");
        }
    }

    public RecordingRef withPlaybackUrl(URI url) {
        return new RecordingRef(videoId, url);
    }

    public Optional<String> video() {
        return Optional.ofNullable(videoId);
    }

    public Optional<URI> url() {
        return Optional.ofNullable(playbackUrl);
    }
}
