package ai.interviewinsights.domain.model.session;

/** Where an interview session is in its lifecycle; see {@link InterviewSession} for the story. */
public enum SessionStatus {
    CREATED, PROVISIONING, READY, ACTIVE, ENDING, COMPLETED, FAILED, EXPIRED, CANCELLED;

    /** A terminal session never changes status again. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == EXPIRED || this == CANCELLED;
    }

    /** A live session has (or is getting) a runner, and its candidate may still act on it. */
    public boolean isLive() {
        return this == PROVISIONING || this == READY || this == ACTIVE || this == ENDING;
    }

    /** Transcript entries are accepted while a call may exist or is being wound up. */
    public boolean acceptsTranscript() {
        return this == READY || this == ACTIVE || this == ENDING;
    }
}
