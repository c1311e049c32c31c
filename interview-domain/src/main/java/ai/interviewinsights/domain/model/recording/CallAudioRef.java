package ai.interviewinsights.domain.model.recording;

import ai.interviewinsights.domain.model.Require;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a proxied interview's own audio is: the server-side recording of both sides of the call (what OpenAI heard,
 * what the candidate heard), written by the proxy runner and uploaded to the recording provider as a video of its
 * own, apart from the browser's camera recording ({@link RecordingRef}). The video is created when the runner is
 * granted its upload (as its call starts); then exactly one of two things happens: the runner reports the whole file
 * uploaded ({@code uploadedAt}) or reports that it gave up ({@code failure}, a stable code; the audit log has
 * {@code session.call_audio_failed}). Until then the upload is {@linkplain #pending() pending}, and the control plane
 * leaves the runner to exit by itself rather than destroying it mid-upload. Once the provider has encoded the upload,
 * its webhook gives the {@code playbackUrl} (as for the browser's recording).
 */
public record CallAudioRef(VideoId videoId, Instant grantedAt, Instant uploadedAt, String failure, URI playbackUrl) {

    public CallAudioRef {
        Require.present(videoId, "call_audio_video_id");
        Require.present(grantedAt, "call_audio_granted_at");
        if (uploadedAt != null && failure != null) {
            throw new IllegalArgumentException("a call audio is either uploaded or failed");
        }
        if (failure != null) {
            failure = Require.text(failure, "call_audio_failure", 100);
        }
        if (playbackUrl != null) {
            playbackUrl = RecordingRef.requireValidUrl(playbackUrl);
        }
    }

    /** Not playable yet. */
    public CallAudioRef(VideoId videoId, Instant grantedAt, Instant uploadedAt, String failure) {
        this(videoId, grantedAt, uploadedAt, failure, null);
    }

    /** A video just created for the call's audio, not uploaded yet. */
    public static CallAudioRef granted(VideoId videoId, Instant at) {
        return new CallAudioRef(videoId, at, null, null);
    }

    /** The runner uploaded the whole file at {@code at}. */
    public CallAudioRef uploaded(Instant at) {
        return new CallAudioRef(videoId, grantedAt, at, null, playbackUrl);
    }

    /** The runner gave up on the upload, for this reason (a stable code). */
    public CallAudioRef failed(String code) {
        return new CallAudioRef(videoId, grantedAt, null, code == null ? "recording.upload_failed" : code,
                playbackUrl);
    }

    /** The provider encoded the video: this is where it plays. */
    public CallAudioRef withPlaybackUrl(URI url) {
        return new CallAudioRef(videoId, grantedAt, uploadedAt, failure, Objects.requireNonNull(url, "url"));
    }

    public Optional<URI> url() {
        return Optional.ofNullable(playbackUrl);
    }

    /** Granted and neither uploaded nor failed yet: the runner may still be uploading. */
    public boolean pending() {
        return uploadedAt == null && failure == null;
    }

    public Optional<Instant> uploaded() {
        return Optional.ofNullable(uploadedAt);
    }

    public Optional<String> failureCode() {
        return Optional.ofNullable(failure);
    }
}
