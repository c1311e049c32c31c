package ai.interviewinsights.domain.model.transcript;

/** How complete a transcript entry is. No status means "dropped": every item is kept, whatever happened to it. */
public enum EntryStatus {
    /** The final transcript arrived. */
    COMPLETE,
    /** The interviewer was interrupted; the text is what was generated, the audio end says what was heard. */
    TRUNCATED,
    /** Transcription failed or never finished; whatever text arrived is kept, with the reason. */
    FAILED
}
