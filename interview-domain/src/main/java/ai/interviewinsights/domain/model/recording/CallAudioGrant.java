package ai.interviewinsights.domain.model.recording;

import ai.interviewinsights.domain.model.Require;
import java.net.URI;

/**
 * What a proxy runner needs to upload its call's audio straight to the recording provider without ever holding the
 * provider's API key: a delegated upload token into one video (the {@link UploadGrant}, as the browser's camera
 * recorder gets) and the provider's upload endpoint (api.video's {@code POST /upload}).
 */
public record CallAudioGrant(UploadGrant upload, URI endpoint) {

    public CallAudioGrant {
        Require.present(upload, "upload");
        Require.present(endpoint, "endpoint");
        if (!"https".equals(endpoint.getScheme()) && !"http".equals(endpoint.getScheme())) {
            throw new IllegalArgumentException("an upload endpoint is an http(s) URL");
        }
    }

    public VideoId videoId() {
        return upload.videoId();
    }

    @Override
    public String toString() {
        return "CallAudioGrant[" + upload.videoId() + " at " + endpoint + ", token ***]";
    }
}
