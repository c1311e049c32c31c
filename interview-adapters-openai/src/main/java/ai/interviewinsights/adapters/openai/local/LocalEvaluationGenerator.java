package ai.interviewinsights.adapters.openai.local;

import ai.interviewinsights.domain.model.evaluation.Evaluation;
import ai.interviewinsights.domain.port.out.EvaluationGenerator;

/**
 * Evaluates an interview without a language model: deterministic, a score per competency from the candidate's own
 * words, each piece of evidence quoted verbatim from a transcript entry the server heard itself (never from one
 * only the browser reported). Labelled {@value #MODEL} so a report never passes it off as a model's judgement.
 */
public final class LocalEvaluationGenerator implements EvaluationGenerator {

    /** The model name every local evaluation carries. */
    public static final String MODEL = "local-deterministic";

    @Override
    public Evaluation generate(Request request) {
        throw new UnsupportedOperationException("not yet");
    }
}
