package ai.interviewinsights.domain.model.evaluation;

import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;

/**
 * Words from the transcript that support a score, and the entry they come from. The quote must occur in that
 * entry ({@link Evaluation#checkAgainst}): an evaluator that invents evidence is caught, not published.
 */
public record EvidenceQuote(IdempotencyKey entry, String quote) {

    public EvidenceQuote {
        Require.present(entry, "evidence_entry");
        quote = Require.text(quote, "evidence_quote", 2_000);
    }
}
