package ai.interviewinsights.domain.model.recording;

import ai.interviewinsights.domain.model.DomainException;
import java.net.URI;
import java.util.Optional;

/**
 * Where an interview's video is: the recording provider's video id (known once an upload token was issued) and a
 * playback URL (reported by the browser at the end, or learnt from the provider once the video is playable).
 */
public record RecordingRef(VideoId videoId, URI playbackUrl) {

    public RecordingRef {
        if (videoId == null && playbackUrl == null) {
            throw new IllegalArgumentException("a recording reference needs a video id or a URL");
        }
        if (playbackUrl != null && !"https".equals(playbackUrl.getScheme())) {
            throw DomainException.invalid("invalid.recording_url", "a recording URL must be an absolute https URL");
        }
    }

    public static RecordingRef ofVideo(VideoId videoId) {
        return new RecordingRef(videoId, null);
    }

    /**
     * Parses a URL reported by a client, once, at the edge where it comes in.
     *
     * @throws DomainException {@code invalid.recording_url} unless it is an absolute https URL of at most 2,000
     *         characters
     */
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

    /** Like {@link #parseUrl}, but an absent URL (null) stays absent. */
    public static URI parseOptionalUrl(String text) {
        return text == null ? null : parseUrl(text);
    }

    /** Whether a URL already parsed elsewhere keeps the rule {@link #parseUrl} enforces. */
    public static URI requireValidUrl(URI url) {
        return url == null ? null : parseUrl(url.toString());
    }

    public RecordingRef withPlaybackUrl(URI url) {
        return new RecordingRef(videoId, url);
    }

    public Optional<VideoId> video() {
        return Optional.ofNullable(videoId);
    }

    public Optional<URI> url() {
        return Optional.ofNullable(playbackUrl);
    }
}
