package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.recording.RecordingRequest;
import ai.interviewinsights.domain.model.recording.RecordingStatus;
import ai.interviewinsights.domain.model.recording.UploadGrant;
import ai.interviewinsights.domain.model.recording.VideoId;

/** The video recording provider (api.video). The browser uploads straight to it with a delegated token. */
public interface RecordingGateway {

    /** Creates the interview's video and a delegated token that can only upload, for the request's lifetime. */
    UploadGrant prepareUpload(RecordingRequest request);

    /**
     * Where the video is.
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code recording.not_found} (NOT_FOUND)
     */
    RecordingStatus status(VideoId videoId);

    /** Deletes the video (cancelled interviews, data deletion requests). A video already gone counts as deleted. */
    void delete(VideoId videoId);

    /** Revokes an upload token before it expires. A token already gone counts as revoked. */
    void revokeUploadToken(Secret uploadToken);

    /**
     * Where a holder of an upload token uploads (api.video's {@code POST /upload}): told to a proxy runner with its
     * call-audio grant, so the runner needs no configuration of its own for the provider. Empty when the provider
     * takes no uploads from servers; then no call audio is recorded.
     */
    default java.util.Optional<java.net.URI> uploadEndpoint() {
        return java.util.Optional.empty();
    }
}
