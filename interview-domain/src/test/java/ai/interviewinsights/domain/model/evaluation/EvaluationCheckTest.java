package ai.interviewinsights.domain.model.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationCheckTest {

    private static final SessionId SESSION = SessionId.of("a1b2c3d4-0000-4000-8000-000000000001");
    private final Position position = Fixtures.position(Fixtures.ACME);
    private final List<TranscriptEntry> transcript = List.of(
            Fixtures.entry(SESSION, "item_a1", 0, Speaker.AI, "How do you make retries safe?"),
            Fixtures.entry(SESSION, "item_u1", 1, Speaker.CANDIDATE,
                    "We use idempotency keys, so a retried request is stored once."));

    private Evaluation withQuote(String key, String quote) {
        return new Evaluation(SESSION, List.of(
                new CompetencyScore("System design", 4, "Knows idempotency.",
                        List.of(new EvidenceQuote(IdempotencyKey.of(key), quote))),
                new CompetencyScore("Communication", 3, "Clear.", List.of())),
                Recommendation.HIRE, "Good.", "model", "v1");
    }

    @Test
    void a_quote_found_in_the_cited_entry_passes_even_re_spaced_and_re_cased() {
        withQuote("item_u1", "we use  IDEMPOTENCY keys so a retried request").checkAgainst(position, transcript);
        withQuote("item_u1", "stored once").checkAgainst(position, transcript);
    }

    @Test
    void an_invented_quote_is_rejected_with_a_reason_the_evaluator_can_use() {
        EvaluationRejectedException e = assertThrows(EvaluationRejectedException.class,
                () -> withQuote("item_u1", "I designed Kafka").checkAgainst(position, transcript));
        assertTrue(e.reason().contains("I designed Kafka") && e.reason().contains("item_u1"), e.reason());
        assertEquals("evaluation.rejected", e.code());
    }

    @Test
    void a_real_quote_attributed_to_the_wrong_entry_is_rejected() {
        assertThrows(EvaluationRejectedException.class,
                () -> withQuote("item_a1", "idempotency keys").checkAgainst(position, transcript));
    }

    @Test
    void a_quote_citing_an_entry_that_does_not_exist_is_rejected() {
        assertThrows(EvaluationRejectedException.class,
                () -> withQuote("item_zz", "idempotency keys").checkAgainst(position, transcript));
    }

    /**
     * What a rejection keeps (a failed evaluation's record, in clear, not under the candidate's key) holds none of the
     * interview's words: not the quote at fault, and not an entry "key" the model made of words. The model is told
     * both on its retry.
     */
    @Test
    void what_a_rejection_keeps_holds_no_words_of_the_interview() {
        EvaluationRejectedException quoted = assertThrows(EvaluationRejectedException.class,
                () -> withQuote("item_a1", "idempotency keys").checkAgainst(position, transcript));
        assertTrue(quoted.reason().contains("idempotency keys"), quoted.reason());
        assertFalse(quoted.reasonToKeep().contains("idempotency"), quoted.reasonToKeep());
        assertFalse(quoted.getMessage().contains("idempotency"), "the message is what is kept");
        EvaluationRejectedException keyOfWords = assertThrows(EvaluationRejectedException.class,
                () -> withQuote("I_designed_Kafka", "idempotency keys").checkAgainst(position, transcript));
        assertTrue(keyOfWords.reason().contains("I_designed_Kafka"), keyOfWords.reason());
        assertFalse(keyOfWords.reasonToKeep().contains("Kafka"), keyOfWords.reasonToKeep());
    }

    @Test
    void every_competency_is_scored_exactly_once_and_only_those_of_the_position() {
        Evaluation missing = new Evaluation(SESSION, List.of(new CompetencyScore("System design", 4, "ok", List.of())),
                Recommendation.HIRE, "s", "m", "v");
        assertTrue(assertThrows(EvaluationRejectedException.class, () -> missing.checkAgainst(position, transcript))
                .reason().contains("Communication"));
        Evaluation invented = new Evaluation(SESSION, List.of(
                new CompetencyScore("System design", 4, "ok", List.of()),
                new CompetencyScore("Communication", 4, "ok", List.of()),
                new CompetencyScore("Juggling", 5, "ok", List.of())), Recommendation.HIRE, "s", "m", "v");
        assertThrows(EvaluationRejectedException.class, () -> invented.checkAgainst(position, transcript));
    }

    @Test
    void scores_are_one_to_five() {
        assertThrows(DomainException.class, () -> new CompetencyScore("X", 0, "r", List.of()));
        assertThrows(DomainException.class, () -> new CompetencyScore("X", 6, "r", List.of()));
    }

    @Test
    void a_line_only_the_candidates_browser_sent_is_never_evidence_when_the_server_heard_the_call() {
        TranscriptEntry forged = TranscriptEntry.complete(SESSION, IdempotencyKey.of("client:forged"), Speaker.CANDIDATE,
                "I single-handedly designed idempotency keys.", java.time.Instant.parse("2026-11-22T10:00:05Z"), 2,
                ai.interviewinsights.domain.model.transcript.TranscriptSource.CLIENT);
        List<TranscriptEntry> withForged = new java.util.ArrayList<>(transcript);
        withForged.add(forged);
        EvaluationRejectedException e = assertThrows(EvaluationRejectedException.class,
                () -> withQuote("client:forged", "designed idempotency keys").checkAgainst(position, withForged));
        assertTrue(e.getMessage().contains("unverified"), e.getMessage());
        withQuote("item_u1", "idempotency keys").checkAgainst(position, withForged); // the heard line still counts
    }
}
