package ai.interviewinsights.adapters.openai;

import ai.interviewinsights.domain.model.evaluation.CompetencyScore;
import ai.interviewinsights.domain.model.evaluation.Recommendation;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The strict JSON schema ({@code interview_evaluation}) an evaluation must follow, built from the position's
 * competencies. Each competency is a required property of {@code competencies}, so the model cannot skip or repeat
 * one; within it a score from 1 to 5 (an integer enum, which strict mode supports everywhere), a rationale, and
 * evidence quotes each naming the transcript entry key it cites. Strict mode wants every property required and no
 * additional properties, at every level.
 *
 * <pre>{@code
 * {"competencies": {"<name>": {"score": 1..5, "rationale": "...", "evidence": [{"entry": "<key>", "quote": "..."}]}},
 *  "recommendation": "strong_hire" | "hire" | "no_hire" | "strong_no_hire",
 *  "summary": "..."}
 * }</pre>
 */
final class EvaluationSchema {

    static final String NAME = "interview_evaluation";

    private final ObjectMapper json;

    EvaluationSchema(ObjectMapper json) {
        this.json = json;
    }

    ObjectNode forPosition(Position position) {
        ObjectNode competencies = object();
        ObjectNode properties = competencies.putObject("properties");
        ArrayNode required = competencies.putArray("required");
        for (Competency competency : position.competencies()) {
            properties.set(competency.name(), competency(competency));
            required.add(competency.name());
        }
        competencies.put("additionalProperties", false);

        ObjectNode schema = object();
        ObjectNode top = schema.putObject("properties");
        top.set("competencies", competencies);
        ObjectNode recommendation = top.putObject("recommendation");
        recommendation.put("type", "string");
        recommendation.put("description", "Overall advice to the hiring team");
        ArrayNode values = recommendation.putArray("enum");
        for (Recommendation r : Recommendation.values()) {
            values.add(r.wireName());
        }
        ObjectNode summary = top.putObject("summary");
        summary.put("type", "string");
        summary.put("description", "A few sentences on the candidate overall, for the hiring team");
        schema.putArray("required").add("competencies").add("recommendation").add("summary");
        schema.put("additionalProperties", false);
        return schema;
    }

    private ObjectNode competency(Competency competency) {
        ObjectNode node = object();
        if (competency.description() != null) {
            node.put("description", competency.description());
        }
        ObjectNode properties = node.putObject("properties");
        ObjectNode score = properties.putObject("score");
        score.put("type", "integer");
        score.put("description", "1 = no evidence or clearly weak, 3 = solid, 5 = exceptional");
        ArrayNode scores = score.putArray("enum");
        for (int s = CompetencyScore.MIN_SCORE; s <= CompetencyScore.MAX_SCORE; s++) {
            scores.add(s);
        }
        ObjectNode rationale = properties.putObject("rationale");
        rationale.put("type", "string");
        rationale.put("description", "Why this score, in two to four sentences");
        ObjectNode evidence = properties.putObject("evidence");
        evidence.put("type", "array");
        evidence.put("description", "Quotes from the transcript supporting the score; empty when there is none");
        ObjectNode quote = evidence.putObject("items");
        quote.put("type", "object");
        ObjectNode quoteProperties = quote.putObject("properties");
        ObjectNode entry = quoteProperties.putObject("entry");
        entry.put("type", "string");
        entry.put("description", "The key of the transcript entry the quote is taken from");
        ObjectNode text = quoteProperties.putObject("quote");
        text.put("type", "string");
        text.put("description", "Words copied exactly from that entry");
        quote.putArray("required").add("entry").add("quote");
        quote.put("additionalProperties", false);
        node.putArray("required").add("score").add("rationale").add("evidence");
        node.put("additionalProperties", false);
        return node;
    }

    private ObjectNode object() {
        ObjectNode node = json.createObjectNode();
        node.put("type", "object");
        return node;
    }
}
