package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.evaluation.Evaluation;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import java.util.List;
import java.util.Objects;

/**
 * Produces a structured evaluation of a finished interview (a language model). The domain checks what comes back
 * ({@link Evaluation#checkAgainst}) and asks once more with the reason when the check fails.
 */
public interface EvaluationGenerator {

    Evaluation generate(Request request);

    /**
     * @param previousRejection why the previous attempt was rejected, to be told to the model; null on the first try
     */
    record Request(SessionId session, Position position, List<TranscriptEntry> transcript,
                   String previousRejection) {
        public Request {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(position, "position");
            transcript = List.copyOf(transcript);
        }
    }
}
