package ai.interviewinsights.domain.model.evaluation;

import ai.interviewinsights.domain.model.Require;
import java.util.List;

/** The evaluator's judgement of one competency: a score from 1 to 5, why, and the transcript evidence. */
public record CompetencyScore(String competency, int score, String rationale, List<EvidenceQuote> evidence) {

    public static final int MIN_SCORE = 1;
    public static final int MAX_SCORE = 5;

    public CompetencyScore {
        competency = Require.text(competency, "competency", 100);
        Require.between(score, MIN_SCORE, MAX_SCORE, "score");
        rationale = Require.text(rationale, "rationale", 5_000);
        evidence = List.copyOf(Require.present(evidence, "evidence"));
    }
}
