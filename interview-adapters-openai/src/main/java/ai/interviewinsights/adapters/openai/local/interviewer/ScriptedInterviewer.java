package ai.interviewinsights.adapters.openai.local.interviewer;

/**
 * The local endpoint's interviewer: a deterministic conversation read from the session's instructions (the text the
 * domain's {@code InterviewerInstructions} writes). It greets the candidate by name, asks one question per
 * competency, follows each answer up once, and closes politely. Not thread-safe: one per call.
 */
public final class ScriptedInterviewer {

    private ScriptedInterviewer() {
    }

    /** Reads the candidate's name, the position and its competencies from the instructions text. */
    public static ScriptedInterviewer fromInstructions(String instructions) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The greeting by name and the first question. */
    public String opening() {
        throw new UnsupportedOperationException("not yet");
    }

    /** The interviewer's next line after the candidate's turn. */
    public Reply onCandidateTurn(String candidateText) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The closing line has been said. */
    public boolean finished() {
        throw new UnsupportedOperationException("not yet");
    }

    /** What the interviewer says next; {@code closing} when it is the last line of the interview. */
    public record Reply(String text, boolean closing) {
    }
}
