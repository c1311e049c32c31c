package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.recording.VideoId;
import java.util.Optional;

/**
 * The recording provider says a video is playable (a verified webhook): the session's recording reference gets the
 * playable URL. Idempotent: providers retry deliveries.
 */
public interface RecordRecordingReadyUseCase {

    /** @return the session id updated, or empty when no session has that video (an unrelated upload) */
    Optional<ai.interviewinsights.domain.model.identity.SessionId> recordingReady(VideoId videoId);
}
