package ai.interviewinsights.domain.model.recording;

import java.net.URI;
import java.util.Optional;

/**
 * What the browser says about its recording when the interview ends ({@code end_session}): the api.video video it
 * uploaded to and, optionally, a playback URL. The runner forwards it to the control plane, which keeps the video id
 * only when it is the one the session's upload token was issued for (decision 0019).
 *
 * @param videoId the video the browser uploaded to, or null (recording off, or a browser that does not say)
 * @param url     a playback URL the browser knows, or null
 */
public record RecordingReport(VideoId videoId, URI url) {

    public RecordingReport {
        url = RecordingRef.requireValidUrl(url);
    }

    /**
     * Parses what a client sent, once, at the edge where it comes in; nothing sent is no report (null).
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code invalid.video_id}, {@code invalid.recording_url}
     */
    public static RecordingReport parse(String videoId, String url) {
        if (videoId == null && url == null) {
            return null;
        }
        return new RecordingReport(videoId == null ? null : new VideoId(videoId), RecordingRef.parseOptionalUrl(url));
    }

    public static RecordingReport ofUrl(URI url) {
        return url == null ? null : new RecordingReport(null, url);
    }

    public Optional<VideoId> video() {
        return Optional.ofNullable(videoId);
    }

    public Optional<URI> playbackUrl() {
        return Optional.ofNullable(url);
    }
}
