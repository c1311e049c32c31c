package ai.interviewinsights.domain.testing;

import ai.interviewinsights.domain.model.evaluation.CompetencyScore;
import ai.interviewinsights.domain.model.evaluation.Evaluation;
import ai.interviewinsights.domain.model.evaluation.EvidenceQuote;
import ai.interviewinsights.domain.model.evaluation.Recommendation;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.port.out.EvaluationGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An evaluator that scores every competency 3 and quotes the first words of the candidate's first answer. It can be
 * told to invent a quote for the first {@code n} attempts, to exercise the domain's retry-with-reason.
 */
public final class FakeEvaluationGenerator implements EvaluationGenerator {

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int inventQuotes;

    @Override
    public Evaluation generate(Request request) {
        requests.add(request);
        TranscriptEntry cited = request.transcript().stream().filter(e -> e.speaker() == Speaker.CANDIDATE)
                .findFirst().orElse(request.transcript().get(0));
        String quote = inventQuotes > 0 ? "I invented the transistor" : firstWords(cited.text());
        if (inventQuotes > 0) {
            inventQuotes--;
        }
        List<CompetencyScore> scores = new ArrayList<>();
        for (Competency competency : request.position().competencies()) {
            scores.add(new CompetencyScore(competency.name(), 3, "Solid, with room to grow.",
                    List.of(new EvidenceQuote(cited.key(), quote))));
        }
        return new Evaluation(request.session(), scores, Recommendation.HIRE, "A solid interview.", "fake-evaluator",
                "evaluation-v1");
    }

    public void inventQuotesFor(int attempts) {
        this.inventQuotes = attempts;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private static String firstWords(String text) {
        String[] words = text.strip().split("\\s+");
        return String.join(" ", java.util.Arrays.copyOf(words, Math.min(4, words.length)));
    }
}
