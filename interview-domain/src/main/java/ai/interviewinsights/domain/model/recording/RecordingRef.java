package ai.interviewinsights.domain.model.recording;

import ai.interviewinsights.domain.model.DomainException;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * Where an interview's video is: the recording provider's video id (known once an upload token was issued), a
 * playback URL (reported by the browser at the end, or learnt from the provider once the video is playable), and
 * when the browser reported at the end that it uploaded to that video ({@code reportedAt}; null until then, and for
 * good when the browser never got to say so: its upload may then be incomplete).
 */
public record RecordingRef(VideoId videoId, URI playbackUrl, Instant reportedAt) {

    public RecordingRef {
        if (videoId == null && playbackUrl == null) {
            throw new IllegalArgumentException("a recording reference needs a video id or a URL");
        }
        if (reportedAt != null && videoId == null) {
            throw new IllegalArgumentException("only a video id can be reported");
        }
        if (playbackUrl != null && !"https".equals(playbackUrl.getScheme())) {
            throw DomainException.invalid("invalid.recording_url", "a recording URL must be an absolute https URL");
        }
    }

    public RecordingRef(VideoId videoId, URI playbackUrl) {
        this(videoId, playbackUrl, null);
    }

    public static RecordingRef ofVideo(VideoId videoId) {
        return new RecordingRef(videoId, null, null);
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
        return new RecordingRef(videoId, url, reportedAt);
    }

    /** The browser reported, at {@code at}, that it uploaded to this video. */
    public RecordingRef reportedAt(Instant at) {
        return new RecordingRef(videoId, playbackUrl, at);
    }

    public Optional<Instant> reported() {
        return Optional.ofNullable(reportedAt);
    }

    public Optional<VideoId> video() {
        return Optional.ofNullable(videoId);
    }

    public Optional<URI> url() {
        return Optional.ofNullable(playbackUrl);
    }
}
