package ai.interviewinsights.domain.model.evaluation;

import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The structured judgement of one interview: a score per competency with rationale and quoted evidence, an overall
 * recommendation, and which model and prompt version produced it.
 */
public record Evaluation(SessionId session, List<CompetencyScore> scores, Recommendation recommendation,
                         String summary, String model, String promptVersion) {

    public Evaluation {
        Require.present(session, "session_id");
        scores = List.copyOf(Require.notEmpty(scores, "scores"));
        Require.present(recommendation, "recommendation");
        summary = Require.text(summary, "summary", 10_000);
        model = Require.text(model, "model", 100);
        promptVersion = Require.text(promptVersion, "prompt_version", 100);
    }

    /**
     * Checks the evaluation against what it judges: exactly one score per competency of the position, and every
     * quote found in the transcript entry it cites (compared ignoring case, white space and Unicode form, so a
     * model re-spacing a quote is not punished, but an invented one is caught).
     *
     * @throws EvaluationRejectedException with a reason precise enough to hand back to the evaluator
     */
    public Evaluation checkAgainst(Position position, List<TranscriptEntry> transcript) {
        Map<String, CompetencyScore> byName = new HashMap<>();
        for (CompetencyScore score : scores) {
            if (position.competency(score.competency()).isEmpty()) {
                throw new EvaluationRejectedException("scored competency '" + score.competency()
                        + "' is not one of the position's competencies");
            }
            if (byName.put(score.competency().toLowerCase(Locale.ROOT), score) != null) {
                throw new EvaluationRejectedException("competency '" + score.competency() + "' is scored twice");
            }
        }
        for (Competency competency : position.competencies()) {
            if (!byName.containsKey(competency.name().toLowerCase(Locale.ROOT))) {
                throw new EvaluationRejectedException("competency '" + competency.name() + "' has no score");
            }
        }
        Map<IdempotencyKey, TranscriptEntry> entries = new HashMap<>();
        for (TranscriptEntry entry : transcript) {
            entries.put(entry.key(), entry);
        }
        // When the server heard the call, what only the candidate's browser sent is unverified: never evidence.
        boolean sidebandHeard = transcript.stream().anyMatch(e -> e.source() == TranscriptSource.SIDEBAND);
        for (CompetencyScore score : scores) {
            for (EvidenceQuote quote : score.evidence()) {
                TranscriptEntry cited = entries.get(quote.entry());
                if (cited == null) {
                    // The key the model named may be words of the interview: the record keeps it out.
                    throw new EvaluationRejectedException("evidence for '" + score.competency()
                            + "' cites entry " + quote.entry() + ", which is not in the transcript",
                            "evidence for '" + score.competency() + "' cites an entry that is not in the transcript");
                }
                if (sidebandHeard && cited.source() == TranscriptSource.CLIENT) {
                    throw new EvaluationRejectedException("evidence for '" + score.competency() + "' cites entry "
                            + quote.entry() + ", which is unverified (sent only by the candidate's browser)");
                }
                if (!normalise(cited.text()).contains(normalise(quote.quote()))) {
                    throw new EvaluationRejectedException("evidence for '" + score.competency() + "' quotes \""
                            + excerpt(quote.quote()) + "\", which does not occur in entry " + quote.entry(),
                            "evidence for '" + score.competency() + "' quotes words that do not occur in entry "
                                    + quote.entry());
                }
            }
        }
        return this;
    }

    private static String normalise(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return folded.replaceAll("[\\s\\p{Punct}\\u2018\\u2019\\u201C\\u201D]+", " ").strip();
    }

    private static String excerpt(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
