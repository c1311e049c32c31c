package ai.interviewinsights.domain.model.transcript;

/** Where a transcript entry's final text came from. */
public enum TranscriptSource {
    /** The server's own connection to the call (OpenAI's sideband WebSocket): trusted, browser-independent. */
    SIDEBAND,
    /** Forwarded by the browser from its data channel. */
    CLIENT
}
