package ai.interviewinsights.domain.model.recording;

import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.Secret;
import java.time.Instant;

/**
 * What the browser needs to record the interview straight to the recording provider: a delegated token that can do
 * nothing but upload, the video it uploads into, and when the token stops working.
 */
public record UploadGrant(VideoId videoId, Secret uploadToken, Instant expiresAt) {

    public UploadGrant {
        Require.present(videoId, "video_id");
        Require.present(uploadToken, "upload_token");
        Require.present(expiresAt, "expires_at");
    }
}
