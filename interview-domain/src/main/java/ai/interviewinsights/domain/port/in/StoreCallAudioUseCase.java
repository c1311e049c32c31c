package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.recording.CallAudioGrant;
import ai.interviewinsights.domain.model.recording.VideoId;
import java.util.Objects;

/**
 * A proxy runner stores its call's own audio (both sides, as the model heard them and as the candidate heard them)
 * with the recording provider, without ever holding the provider's API key: it is granted a delegated upload token
 * into a video of the session's own, uploads the file itself, and reports how that went. Only the session's own
 * runner, only for a proxy session whose recording is on (ADR 0021).
 */
public interface StoreCallAudioUseCase {

    /**
     * Creates the session's call-audio video and a delegated upload token into it, and notes the video on the session
     * (findable from the report, deleted with the session's other videos).
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code access.runner_only} /
     *         {@code access.other_session} (FORBIDDEN) for anyone but the session's own runner;
     *         {@code recording.call_audio_not_proxy} (CONFLICT) for a hybrid session, whose audio never passes the
     *         runner; {@code recording.off} (CONFLICT) when the session is not recorded;
     *         {@code recording.call_audio_exists} (CONFLICT) when the session already has one;
     *         {@code recording.unavailable} (UNAVAILABLE) when no recording provider takes uploads
     */
    CallAudioGrant grant(Principal runner, SessionId session);

    /** The runner uploaded the whole file into {@code video} (the session's call-audio video, else refused). */
    void uploaded(Uploaded command);

    /**
     * The runner gave up storing the call's audio (its upload failed for good, or no grant could be had): the
     * session's end is not affected; the failure is audited ({@code session.call_audio_failed}, with its code).
     */
    void failed(Failed command);

    /**
     * @param bytes   the file's size
     * @param seconds the recording's length
     */
    record Uploaded(Principal runner, SessionId session, VideoId video, long bytes, double seconds) {
        public Uploaded {
            Objects.requireNonNull(runner, "runner");
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(video, "video");
            if (bytes < 0 || seconds < 0 || Double.isNaN(seconds)) {
                throw ai.interviewinsights.domain.model.DomainException.invalid("invalid.call_audio",
                        "bytes and seconds must not be negative");
            }
        }
    }

    /** @param code a stable code ({@code recording.upload_unavailable}, ...), at most 100 characters */
    record Failed(Principal runner, SessionId session, String code) {
        public Failed {
            Objects.requireNonNull(runner, "runner");
            Objects.requireNonNull(session, "session");
            code = code == null || code.isBlank() || !code.matches("[a-z0-9_.]{1,100}") ? "recording.upload_failed"
                    : code;
        }
    }
}
