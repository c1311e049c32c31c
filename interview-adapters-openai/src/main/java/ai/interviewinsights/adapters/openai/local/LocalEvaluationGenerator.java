package ai.interviewinsights.adapters.openai.local;

import ai.interviewinsights.domain.model.evaluation.CompetencyScore;
import ai.interviewinsights.domain.model.evaluation.Evaluation;
import ai.interviewinsights.domain.model.evaluation.EvidenceQuote;
import ai.interviewinsights.domain.model.evaluation.Recommendation;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.transcript.EntryStatus;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import ai.interviewinsights.domain.port.out.EvaluationGenerator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates an interview without a language model, so that an offline interview ends with a complete report. It is
 * deterministic and says so: the model is {@value #MODEL}, the summary opens with "Local evaluation (no language
 * model)", and every rationale gives the measurements its score comes from.
 *
 * <p><b>Which answers count.</b> Only the candidate's own turns that the server heard itself: entries with source
 * {@link TranscriptSource#SIDEBAND} and status {@link EntryStatus#COMPLETE}. Entries only the browser reported
 * ({@link TranscriptSource#CLIENT}) are unverified and failed transcriptions are partial; neither is scored or quoted.
 *
 * <p><b>Which competency an answer is about.</b> The one the interviewer named last before it (the scripted
 * interviewer names each competency in its question); an answer given before any competency was named goes to the
 * competency whose name and description share the most words with it, or to none.
 *
 * <p><b>The score</b> (1 to 5) rewards what interviewers look for, measured on the words: no verified answer is 1;
 * an answer under {@value #SHORT_ANSWER_WORDS} words is 2; otherwise 3, plus 1 for a concrete example (the candidate
 * says what they did: "I"/"we" with an action verb, or a figure), plus 1 for reasoning or an outcome ("because",
 * "so that", "result", "learned", ...) over at least {@value #DETAILED_WORDS} words. The recommendation follows the
 * weighted mean score. It is a floor, not a judgement: the summary tells the reader to read the transcript.
 *
 * <p><b>Evidence</b> is copied verbatim from the entry it cites (the longest sentences of the answers, at most
 * {@value #QUOTES_PER_COMPETENCY} per competency), so the domain's quote check always passes.
 */
public final class LocalEvaluationGenerator implements EvaluationGenerator {

    /** The model name every local evaluation carries. */
    public static final String MODEL = "local-deterministic";
    /** The version of the rules above; bump when they change in substance. */
    public static final String RULES_VERSION = "local-evaluation-v1";

    static final int SHORT_ANSWER_WORDS = 15;
    static final int DETAILED_WORDS = 40;
    static final int QUOTES_PER_COMPETENCY = 2;
    static final int MAX_QUOTE = 300;

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");
    private static final Pattern SENTENCE = Pattern.compile("[^.!?\\n]+[.!?]*");
    private static final Pattern FIGURE = Pattern.compile("\\d");
    private static final Set<String> ACTORS = Set.of("i", "we", "my", "our", "i'd", "i've", "we've");
    private static final Set<String> ACTIONS = Set.of("built", "designed", "led", "wrote", "measured", "fixed",
            "shipped", "created", "implemented", "migrated", "reduced", "improved", "explained", "decided", "ran",
            "organised", "organized", "owned", "tested", "deployed", "automated", "refactored", "mentored",
            "presented", "negotiated", "introduced", "replaced", "scaled", "debugged", "analysed", "analyzed",
            "proposed", "changed", "started", "made", "set", "moved", "split", "added", "removed", "cut", "kept",
            "used", "chose", "planned", "delivered", "solved", "found", "learned", "learnt", "taught", "helped");
    private static final Set<String> REASONING = Set.of("because", "so", "therefore", "result", "resulted",
            "outcome", "learned", "learnt", "lesson", "trade", "tradeoff", "tradeoffs", "impact", "which", "why",
            "measured", "percent", "faster", "slower", "fewer", "reduced", "improved", "instead");
    private static final Set<String> STOP_WORDS = Set.of("a", "an", "and", "the", "of", "to", "in", "on", "for",
            "with", "at", "by", "is", "are", "was", "be", "it", "that", "this", "as", "or", "from", "your", "you");

    @Override
    public Evaluation generate(Request request) {
        List<TranscriptEntry> transcript = request.transcript().stream()
                .sorted(Comparator.comparingLong(TranscriptEntry::position)).toList();
        List<Competency> competencies = request.position().competencies();
        Map<String, List<TranscriptEntry>> answers = new LinkedHashMap<>();
        competencies.forEach(c -> answers.put(c.name(), new ArrayList<>()));

        String current = null;
        int unverified = 0;
        int verified = 0;
        for (TranscriptEntry entry : transcript) {
            if (entry.speaker() == Speaker.AI) {
                String named = lastNamed(entry.text(), competencies);
                current = named != null ? named : current;
                continue;
            }
            if (entry.source() != TranscriptSource.SIDEBAND || entry.status() != EntryStatus.COMPLETE) {
                unverified++;
                continue;
            }
            if (words(entry.text()).isEmpty()) {
                continue;
            }
            verified++;
            String about = current != null ? current : closestByWords(entry.text(), competencies);
            if (about != null) {
                answers.get(about).add(entry);
            }
        }

        List<CompetencyScore> scores = new ArrayList<>();
        double weighted = 0;
        int weights = 0;
        for (Competency competency : competencies) {
            CompetencyScore score = score(competency, answers.get(competency.name()));
            scores.add(score);
            weighted += (double) score.score() * competency.weight();
            weights += competency.weight();
        }
        double mean = weighted / weights;
        String summary = "Local evaluation (no language model): deterministic rules over the candidate's own words,"
                + " a floor for the hiring team, not a judgement; read the transcript before deciding. Weighted"
                + " score " + String.format(Locale.ROOT, "%.1f", mean) + " of 5 over " + competencies.size()
                + (competencies.size() == 1 ? " competency" : " competencies") + ", from " + verified
                + (verified == 1 ? " answer" : " answers") + " the server heard itself"
                + (unverified > 0 ? "; " + unverified + " candidate "
                        + (unverified == 1 ? "entry" : "entries") + " reported only by the browser or not fully"
                        + " transcribed were left out" : "") + ".";
        return new Evaluation(request.session(), scores, recommendation(mean), summary, MODEL, RULES_VERSION);
    }

    private static CompetencyScore score(Competency competency, List<TranscriptEntry> answers) {
        if (answers.isEmpty()) {
            return new CompetencyScore(competency.name(), 1, "No verified answer about " + competency.name()
                    + " in the transcript.", List.of());
        }
        List<String> words = new ArrayList<>();
        answers.forEach(answer -> words.addAll(words(answer.text())));
        String all = String.join(" ", answers.stream().map(TranscriptEntry::text).toList());
        boolean concrete = concrete(words) || FIGURE.matcher(all).find();
        boolean reasoned = words.stream().anyMatch(REASONING::contains);
        int score;
        if (words.size() < SHORT_ANSWER_WORDS) {
            score = 2;
        } else {
            score = 3 + (concrete ? 1 : 0) + (reasoned && words.size() >= DETAILED_WORDS ? 1 : 0);
        }
        String rationale = "Local rules: " + words.size() + " words over " + answers.size()
                + (answers.size() == 1 ? " answer" : " answers") + "; concrete example: " + (concrete ? "yes" : "no")
                + "; reasoning or outcome: " + (reasoned ? "yes" : "no") + ".";
        return new CompetencyScore(competency.name(), score, rationale, quotes(answers));
    }

    /** The longest sentences of the answers, copied verbatim (cut at a word boundary when very long). */
    private static List<EvidenceQuote> quotes(List<TranscriptEntry> answers) {
        record Candidate(TranscriptEntry entry, String text) {
        }
        List<Candidate> sentences = new ArrayList<>();
        for (TranscriptEntry answer : answers) {
            Matcher sentence = SENTENCE.matcher(answer.text());
            while (sentence.find()) {
                String text = sentence.group().strip();
                if (!words(text).isEmpty()) {
                    sentences.add(new Candidate(answer, cut(text)));
                }
            }
        }
        return sentences.stream()
                .sorted(Comparator.comparingInt((Candidate c) -> words(c.text()).size()).reversed())
                .limit(QUOTES_PER_COMPETENCY)
                .map(c -> new EvidenceQuote(c.entry().key(), c.text()))
                .toList();
    }

    private static String cut(String sentence) {
        if (sentence.length() <= MAX_QUOTE) {
            return sentence;
        }
        int space = sentence.lastIndexOf(' ', MAX_QUOTE);
        return sentence.substring(0, space > 0 ? space : MAX_QUOTE).strip();
    }

    private static boolean concrete(List<String> words) {
        for (int i = 0; i < words.size(); i++) {
            if (ACTORS.contains(words.get(i))) {
                for (int j = i + 1; j < Math.min(words.size(), i + 4); j++) {
                    if (ACTIONS.contains(words.get(j))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * The competency whose name occurs last in the interviewer's line (the topic it moves to), or null. Names count
     * as whole words only ("Go" is not in "good"), and where one name ends inside another ("Design" in "System
     * design") the longer one wins.
     */
    private static String lastNamed(String text, List<Competency> competencies) {
        String named = null;
        int end = -1;
        int length = 0;
        for (Competency competency : competencies) {
            Matcher mention = Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(competency.name())
                    + "(?![\\p{L}\\p{N}])", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher(text);
            while (mention.find()) {
                int mentionLength = mention.end() - mention.start();
                if (mention.end() > end || (mention.end() == end && mentionLength > length)) {
                    end = mention.end();
                    length = mentionLength;
                    named = competency.name();
                }
            }
        }
        return named;
    }

    private static String closestByWords(String text, List<Competency> competencies) {
        Set<String> answer = new HashSet<>(words(text));
        answer.removeAll(STOP_WORDS);
        String best = null;
        int bestShared = 0;
        for (Competency competency : competencies) {
            Set<String> topic = new HashSet<>(words(competency.name() + " " + competency.description()));
            topic.removeAll(STOP_WORDS);
            topic.retainAll(answer);
            if (topic.size() > bestShared) {
                bestShared = topic.size();
                best = competency.name();
            }
        }
        return best;
    }

    private static Recommendation recommendation(double mean) {
        if (mean >= 4.25) {
            return Recommendation.STRONG_HIRE;
        }
        if (mean >= 3.25) {
            return Recommendation.HIRE;
        }
        if (mean >= 2.25) {
            return Recommendation.NO_HIRE;
        }
        return Recommendation.STRONG_NO_HIRE;
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher word = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (word.find()) {
            words.add(word.group());
        }
        return words;
    }
}
