package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.recording.CallAudioGrant;
import java.nio.file.Path;

/**
 * Where a proxy runner puts its call's audio: straight into the recording provider's video with the delegated token
 * of a {@link CallAudioGrant}, never with the provider's API key (the runner does not hold it).
 */
public interface CallAudioUploader {

    /**
     * Uploads the whole file into the grant's video, retrying what the provider asks to be retried.
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code recording.upload_refused} (the provider
     *         refused the file or the token for good), {@code recording.upload_unavailable} (it kept failing or was
     *         unreachable after the retries), {@code recording.upload_too_large} (beyond what one video may hold)
     */
    void upload(CallAudioGrant grant, Path file);
}
