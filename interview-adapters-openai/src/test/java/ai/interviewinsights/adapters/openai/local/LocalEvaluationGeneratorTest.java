package ai.interviewinsights.adapters.openai.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.evaluation.CompetencyScore;
import ai.interviewinsights.domain.model.evaluation.Evaluation;
import ai.interviewinsights.domain.model.evaluation.EvidenceQuote;
import ai.interviewinsights.domain.model.evaluation.Recommendation;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.transcript.EntryStatus;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import ai.interviewinsights.domain.port.out.EvaluationGenerator;
import ai.interviewinsights.domain.testing.Fixtures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The deterministic local evaluator: honest quotes, verified entries only, labelled local. */
class LocalEvaluationGeneratorTest {

    static final SessionId SESSION = new SessionId(UUID.fromString("44444444-4444-4444-8444-444444444444"));
    static final Position POSITION = Fixtures.position(Fixtures.ACME); // System design (3), Communication (2)
    static final String DESIGN_ANSWER = "I designed a payment ledger for our team in 2024. Every write carried an"
            + " idempotency key, because retries during an outage must not charge anyone twice. As a result we"
            + " lost no payments when a region failed, and we measured recovery at under two minutes.";
    static final String DESIGN_FOLLOW_UP = "The hardest part was the migration; I would plan it in smaller steps.";
    static final String COMMUNICATION_ANSWER = "I write things down.";

    private final LocalEvaluationGenerator evaluator = new LocalEvaluationGenerator();

    @Test
    void scores_each_competency_from_the_answers_to_its_questions_and_says_it_is_local() {
        List<TranscriptEntry> transcript = interview(TranscriptSource.SIDEBAND);

        Evaluation evaluation = evaluator.generate(new EvaluationGenerator.Request(SESSION, POSITION, transcript,
                null));

        evaluation.checkAgainst(POSITION, transcript); // the domain's own check: one score each, real quotes
        assertEquals("local-deterministic", evaluation.model());
        assertEquals("local-evaluation-v1", evaluation.promptVersion());
        assertTrue(evaluation.summary().startsWith("Local evaluation (no language model)"), evaluation.summary());
        Map<String, CompetencyScore> scores = byName(evaluation);
        CompetencyScore design = scores.get("System design");
        assertEquals(5, design.score(), design.rationale());
        assertEquals("Local rules: 58 words over 2 answers; concrete example: yes; reasoning or outcome: yes.",
                design.rationale());
        assertEquals(List.of(
                new EvidenceQuote(IdempotencyKey.of("item_u1"), "As a result we lost no payments when a region"
                        + " failed, and we measured recovery at under two minutes."),
                new EvidenceQuote(IdempotencyKey.of("item_u1"), "Every write carried an idempotency key, because"
                        + " retries during an outage must not charge anyone twice.")), design.evidence());
        CompetencyScore communication = scores.get("Communication");
        assertEquals(2, communication.score(), communication.rationale());
        assertEquals(List.of(new EvidenceQuote(IdempotencyKey.of("item_u3"), COMMUNICATION_ANSWER)),
                communication.evidence());
        assertEquals(Recommendation.HIRE, evaluation.recommendation(), "weighted (5*3 + 2*2) / 5 = 3.8");
    }

    @Test
    void every_quote_is_a_verbatim_piece_of_the_entry_it_cites() {
        List<TranscriptEntry> transcript = interview(TranscriptSource.SIDEBAND);
        String longSentence = "We " + "carefully ".repeat(60) + "rebuilt the deployment pipeline end to end.";
        List<TranscriptEntry> longer = new ArrayList<>(transcript);
        longer.add(entry("item_u9", 9, Speaker.CANDIDATE, longSentence, TranscriptSource.SIDEBAND,
                EntryStatus.COMPLETE));

        Evaluation evaluation = evaluator.generate(new EvaluationGenerator.Request(SESSION, POSITION, longer, null));

        Map<IdempotencyKey, TranscriptEntry> entries = longer.stream()
                .collect(Collectors.toMap(TranscriptEntry::key, Function.identity()));
        for (CompetencyScore score : evaluation.scores()) {
            for (EvidenceQuote quote : score.evidence()) {
                assertTrue(entries.get(quote.entry()).text().contains(quote.quote()), quote.quote());
                assertEquals(Speaker.CANDIDATE, entries.get(quote.entry()).speaker());
                assertTrue(quote.quote().length() <= LocalEvaluationGenerator.MAX_QUOTE, quote.quote());
            }
        }
        evaluation.checkAgainst(POSITION, longer);
    }

    @Test
    void answers_only_the_browser_reported_or_that_failed_to_transcribe_are_never_scored_or_quoted() {
        List<TranscriptEntry> transcript = new ArrayList<>(interview(TranscriptSource.CLIENT));
        transcript.add(new TranscriptEntry(SESSION, IdempotencyKey.of("item_u8"), Speaker.CANDIDATE,
                "I designed and built everything myself because I am great", Instant.parse("2026-11-22T10:10:00Z"),
                8, TranscriptSource.SIDEBAND, EntryStatus.FAILED, null, "transcription failed"));

        Evaluation evaluation = evaluator.generate(new EvaluationGenerator.Request(SESSION, POSITION, transcript,
                null));

        evaluation.checkAgainst(POSITION, transcript);
        for (CompetencyScore score : evaluation.scores()) {
            assertEquals(1, score.score(), score.competency());
            assertEquals(List.of(), score.evidence(), score.competency());
        }
        assertTrue(evaluation.summary().contains("from 0 answers the server heard itself; 4 candidate entries"
                + " reported only by the browser or not fully transcribed were left out"), evaluation.summary());
        assertEquals(Recommendation.STRONG_NO_HIRE, evaluation.recommendation());
    }

    @Test
    void an_answer_given_before_any_competency_was_named_goes_to_the_one_it_talks_about() {
        Position position = new Position(POSITION.id(), POSITION.tenant(), "Engineer", "",
                List.of(new Competency("Databases", "Models data and tunes queries", 1),
                        new Competency("Leadership", "Grows people and teams", 1)));
        List<TranscriptEntry> transcript = List.of(
                entry("a1", 0, Speaker.AI, "Hello! Tell me about yourself.", TranscriptSource.SIDEBAND,
                        EntryStatus.COMPLETE),
                entry("u1", 1, Speaker.CANDIDATE, "I mentored three people and grew the team from two to six.",
                        TranscriptSource.SIDEBAND, EntryStatus.COMPLETE));

        Evaluation evaluation = evaluator.generate(new EvaluationGenerator.Request(SESSION, position, transcript,
                null));

        Map<String, CompetencyScore> scores = byName(evaluation);
        assertEquals(1, scores.get("Leadership").evidence().size(), "'team' is a Leadership word");
        assertEquals(List.of(), scores.get("Databases").evidence());
    }

    @Test
    void a_competency_is_named_only_by_its_whole_name_and_the_longer_of_two_overlapping_names_wins() {
        Position position = new Position(POSITION.id(), POSITION.tenant(), "Engineer", "",
                List.of(new Competency("Go", "", 1), new Competency("Design", "", 1),
                        new Competency("System design", "", 1)));
        List<TranscriptEntry> transcript = List.of(
                entry("a1", 0, Speaker.AI, "Let's start with System design. Tell me more.", TranscriptSource.SIDEBAND,
                        EntryStatus.COMPLETE),
                entry("u1", 1, Speaker.CANDIDATE, "I split the monolith into three services.",
                        TranscriptSource.SIDEBAND, EntryStatus.COMPLETE),
                entry("a2", 2, Speaker.AI, "Thanks. Now, Design.", TranscriptSource.SIDEBAND, EntryStatus.COMPLETE),
                entry("u2", 3, Speaker.CANDIDATE, "I drew the screens with the users.", TranscriptSource.SIDEBAND,
                        EntryStatus.COMPLETE),
                entry("a3", 4, Speaker.AI, "Good. A while ago you mentioned regrets?", TranscriptSource.SIDEBAND,
                        EntryStatus.COMPLETE),
                entry("u3", 5, Speaker.CANDIDATE, "None at all.", TranscriptSource.SIDEBAND, EntryStatus.COMPLETE));

        Map<String, CompetencyScore> scores = byName(evaluator.generate(new EvaluationGenerator.Request(SESSION,
                position, transcript, null)));

        assertEquals(List.of("u1"), keys(scores.get("System design")), "'Design' inside 'System design' loses");
        assertEquals(List.of("u2", "u3"), keys(scores.get("Design")).stream().sorted().toList(),
                "'Good' and 'ago' do not name Go, so the topic stays Design");
        assertEquals(List.of(), keys(scores.get("Go")));
    }

    @Test
    void the_same_interview_always_gets_the_same_evaluation_even_when_entries_arrive_out_of_order() {
        List<TranscriptEntry> transcript = interview(TranscriptSource.SIDEBAND);
        List<TranscriptEntry> shuffled = new ArrayList<>(transcript);
        java.util.Collections.reverse(shuffled);

        Evaluation first = evaluator.generate(new EvaluationGenerator.Request(SESSION, POSITION, transcript, null));
        Evaluation second = evaluator.generate(new EvaluationGenerator.Request(SESSION, POSITION, shuffled,
                "a previous attempt was rejected"));

        assertEquals(first, second);
    }

    /** The scripted interviewer's conversation about the fixture position, candidate turns from {@code source}. */
    static List<TranscriptEntry> interview(TranscriptSource candidateSource) {
        return List.of(
                entry("item_a0", 0, Speaker.AI, "Hello Ada, and thank you for joining this interview for the Backend"
                        + " Engineer position at Acme Corp. Let's start with System design. Tell me about a concrete"
                        + " situation from your work where it mattered: what did you do, and what came of it?",
                        TranscriptSource.SIDEBAND, EntryStatus.COMPLETE),
                entry("item_u1", 1, Speaker.CANDIDATE, DESIGN_ANSWER, candidateSource, EntryStatus.COMPLETE),
                entry("item_a1", 2, Speaker.AI, "Thank you. Looking back, what was the hardest part of that?",
                        TranscriptSource.SIDEBAND, EntryStatus.COMPLETE),
                entry("item_u2", 3, Speaker.CANDIDATE, DESIGN_FOLLOW_UP, candidateSource, EntryStatus.COMPLETE),
                entry("item_a2", 4, Speaker.AI, "Thank you. Next, let's talk about Communication. Tell me about a"
                        + " concrete situation from your work where it mattered.", TranscriptSource.SIDEBAND,
                        EntryStatus.COMPLETE),
                entry("item_u3", 5, Speaker.CANDIDATE, COMMUNICATION_ANSWER, candidateSource, EntryStatus.COMPLETE),
                entry("item_a3", 6, Speaker.AI, "Thank you, Ada, that was my last question.",
                        TranscriptSource.SIDEBAND, EntryStatus.COMPLETE));
    }

    static TranscriptEntry entry(String key, long position, Speaker speaker, String text, TranscriptSource source,
                                 EntryStatus status) {
        return new TranscriptEntry(SESSION, IdempotencyKey.of(key), speaker, text,
                Instant.parse("2026-11-22T10:00:00Z").plusSeconds(position), position, source, status, null,
                status == EntryStatus.FAILED ? "transcription failed" : null);
    }

    private static List<String> keys(CompetencyScore score) {
        return score.evidence().stream().map(q -> q.entry().value()).distinct().toList();
    }

    private static Map<String, CompetencyScore> byName(Evaluation evaluation) {
        return evaluation.scores().stream().collect(Collectors.toMap(CompetencyScore::competency,
                Function.identity()));
    }
}
