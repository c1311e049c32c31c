package ai.interviewinsights.adapters.openai.media;

/** A turn boundary found by {@link EnergyVad}, in milliseconds of audio since the stream started. */
public sealed interface VadEvent {

    /** The candidate started speaking; {@code audioStartMs} already includes the prefix padding. */
    record SpeechStarted(long audioStartMs) implements VadEvent {
    }

    /** The candidate stopped speaking: the silence lasted long enough; {@code audioEndMs} is where the speech ended. */
    record SpeechStopped(long audioEndMs) implements VadEvent {
    }
}
