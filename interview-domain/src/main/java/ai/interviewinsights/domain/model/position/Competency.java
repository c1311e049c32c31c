package ai.interviewinsights.domain.model.position;

import ai.interviewinsights.domain.model.Require;

/**
 * A skill the interview assesses, with how much it counts in the overall recommendation.
 *
 * @param name        unique within its position, used by the evaluation to refer to it
 * @param description what good looks like, given to the interviewer and the evaluator
 * @param weight      relative weight, 1 to 10
 */
public record Competency(String name, String description, int weight) {

    public static final int MAX_WEIGHT = 10;

    public Competency {
        name = Require.text(name, "competency_name", 100);
        description = Require.optionalText(description, "competency_description", 2_000);
        Require.between(weight, 1, MAX_WEIGHT, "competency_weight");
    }
}
