package ai.interviewinsights.domain.model.recording;

/**
 * When a browser gets its recording's upload grant (the video and a delegated token, ADR 0028).
 *
 * <p>{@link #WITH_THE_START}: in the start's reply (the design documents' {@code video_token}), so the start waits
 * for the provider's round trip; a standby runner is claimed in a few tens of milliseconds, and that round trip is
 * then most of the candidate's wait. {@link #AFTER_READY}: the start prepares nothing and answers as soon as the
 * runner is ready; the room asks for its grant once it has joined ({@code GrantRecordingUseCase}), while it sets up
 * its call, and starts recording when the grant comes. The room's page asks for the latter; API callers that do not
 * ask keep the former. A reply that carries no grant while no browser has been given one is told as the latter
 * whatever was asked (a provider that failed during the start, a rejoin before the first ask).
 */
public enum RecordingGrantTiming {
    WITH_THE_START,
    AFTER_READY
}
