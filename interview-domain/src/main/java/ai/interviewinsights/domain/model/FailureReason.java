package ai.interviewinsights.domain.model;

/**
 * The one rule for why something failed, as a session or a transcript entry keeps it for the report: a non-blank
 * text of at most {@value #MAX_LENGTH} characters. A reason we write is checked ({@link #require}); a reason that
 * comes from outside (a runner's report, OpenAI's words about a failed transcription) is cut to fit ({@link #cut}),
 * because losing its tail is better than losing the failure.
 */
public final class FailureReason {

    public static final int MAX_LENGTH = 500;

    private FailureReason() {
    }

    /** The reason stripped, or {@code invalid.failure_reason} when it is blank or longer than the limit. */
    public static String require(String reason) {
        return Require.text(reason, "failure_reason", MAX_LENGTH);
    }

    /** The reason stripped and cut to the limit (never inside a surrogate pair); {@code null} stays {@code null}. */
    public static String cut(String reason) {
        if (reason == null) {
            return null;
        }
        String stripped = reason.strip();
        if (stripped.length() <= MAX_LENGTH) {
            return stripped;
        }
        int end = Character.isHighSurrogate(stripped.charAt(MAX_LENGTH - 1)) ? MAX_LENGTH - 1 : MAX_LENGTH;
        return stripped.substring(0, end).strip();
    }
}
