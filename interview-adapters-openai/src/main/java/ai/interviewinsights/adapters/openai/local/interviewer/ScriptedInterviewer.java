package ai.interviewinsights.adapters.openai.local.interviewer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local endpoint's interviewer: a deterministic conversation read from the session's instructions, the text the
 * domain's {@code InterviewerInstructions} writes from the interview context. It greets the candidate by first name,
 * asks one question per competency of the position in the order given, follows each answer up once (asking for a
 * concrete example when the answer was short, for reflection when it was not), and closes politely, saying the
 * company will be in touch. The same instructions and answers always give the same lines.
 *
 * <p>Reading the instructions: the company and the position come from the first sentence, the competencies from the
 * list under "Assess these competencies", the first name from "Greet the candidate by their first name, ...". The
 * parts are found from the end of the text backwards where the domain writes free text (descriptions) before them,
 * so a description that quotes one of these phrases does not confuse it; a bullet list inside a competency's
 * description is not taken for competencies (it has no weight; a description line forged to read exactly like
 * {@code - Name (weight 3)} would be, since the text itself cannot tell them apart). Instructions written by hand, which do not
 * follow that shape, still give a working interview: "Hello", "this position", and one general question.
 *
 * <p>The offline voice is English, so the interview is in English whatever language the instructions ask for.
 * Not thread-safe: one per call.
 */
public final class ScriptedInterviewer {

    /** Answers with fewer words than this get the follow-up that asks for a concrete example. */
    static final int VAGUE_ANSWER_WORDS = 15;

    private static final Pattern OPENING = Pattern.compile(
            "\\AYou are a professional, friendly interviewer for (.+?), interviewing a candidate for the position"
                    + " \"(.*?)\"\\.\\n(?=Conduct the whole interview in )", Pattern.DOTALL);
    private static final String LIST_HEADER =
            "\nAssess these competencies, giving more time to those with higher weight:\n";
    private static final String CLOSING_PARAGRAPH = "\n\nThe interview lasts at most ";
    private static final Pattern COMPETENCY = Pattern.compile(
            "^- ([^\\n]+?) \\(weight (10|[1-9])\\)(?=: |\\n|\\z)", Pattern.MULTILINE);
    private static final Pattern FIRST_NAME = Pattern.compile(
            "Greet the candidate by their first name, (.+?), ask one question at a time", Pattern.DOTALL);
    private static final List<String> LEADS = List.of("Let's start with", "Next, let's talk about",
            "Now I'd like to hear about", "Let's move on to", "Another area is");

    private final Optional<String> firstName;
    private final Optional<String> company;
    private final Optional<String> position;
    private final List<String> competencies;

    private int topic;          // index of the competency being discussed
    private boolean followedUp; // the current topic's follow-up has been asked
    private int unheard;        // empty candidate turns in a row
    private boolean finished;

    private ScriptedInterviewer(Optional<String> firstName, Optional<String> company, Optional<String> position,
                                List<String> competencies) {
        this.firstName = firstName;
        this.company = company;
        this.position = position;
        this.competencies = List.copyOf(competencies);
    }

    /** Reads the candidate's first name, the company, the position and its competencies from the instructions. */
    public static ScriptedInterviewer fromInstructions(String instructions) {
        String text = Objects.requireNonNullElse(instructions, "").replace("\r\n", "\n");
        Optional<String> company = Optional.empty();
        Optional<String> position = Optional.empty();
        Matcher opening = OPENING.matcher(text);
        if (opening.find()) {
            company = nonBlank(opening.group(1));
            position = nonBlank(opening.group(2));
        }
        int tail = text.lastIndexOf(CLOSING_PARAGRAPH);
        int header = tail < 0 ? -1 : text.lastIndexOf(LIST_HEADER, tail);
        List<String> competencies = new ArrayList<>();
        if (header >= 0) {
            Matcher item = COMPETENCY.matcher(text.substring(header + LIST_HEADER.length(), tail + 1));
            while (item.find()) {
                nonBlank(item.group(1)).ifPresent(competencies::add);
            }
        }
        Optional<String> firstName = Optional.empty();
        if (tail >= 0) {
            Matcher name = FIRST_NAME.matcher(text.substring(tail));
            if (name.find()) {
                firstName = nonBlank(name.group(1));
            }
        }
        return new ScriptedInterviewer(firstName, company, position, competencies);
    }

    /** The greeting by name and the first question. The same text each time it is asked. */
    public String opening() {
        String greeting = "Hello" + firstName.map(name -> " " + name).orElse("")
                + ", and thank you for joining this interview"
                + position.map(title -> " for the " + title + " position").orElse("")
                + company.map(name -> " at " + name).orElse("") + ".";
        return greeting + " " + question(0);
    }

    /**
     * The interviewer's next line after the candidate's turn: the follow-up to the current question, the next
     * competency's question, or the closing (then {@code closing} is true and the interview is finished). A turn
     * with no words (nothing was heard) is asked again once before the interview moves on. After the close every
     * turn gets the closing line again.
     */
    public Reply onCandidateTurn(String candidateText) {
        if (finished) {
            return new Reply(closingLine(), true);
        }
        List<String> words = words(candidateText);
        if (words.isEmpty() && unheard++ == 0) {
            return new Reply("Sorry, I did not catch that. Could you say it again?", false);
        }
        unheard = 0;
        if (!followedUp) {
            followedUp = true;
            return new Reply(followUp(words), false);
        }
        topic++;
        followedUp = false;
        if (topic >= topics()) {
            finished = true;
            return new Reply(closingLine(), true);
        }
        return new Reply("Thank you. " + question(topic), false);
    }

    /** The closing line has been said. */
    public boolean finished() {
        return finished;
    }

    /** The candidate's first name as read from the instructions. */
    public Optional<String> candidateFirstName() {
        return firstName;
    }

    /** The position's title as read from the instructions. */
    public Optional<String> position() {
        return position;
    }

    /** The company as read from the instructions. */
    public Optional<String> company() {
        return company;
    }

    /** The competencies as read from the instructions, in order; empty when the text did not list any. */
    public List<String> competencies() {
        return competencies;
    }

    private int topics() {
        return Math.max(1, competencies.size());
    }

    private String question(int index) {
        if (competencies.isEmpty()) {
            return "To begin, tell me about a piece of work you are proud of: what was your part, and what came of"
                    + " it?";
        }
        String lead = index == 0 ? LEADS.get(0) : LEADS.get(1 + (index - 1) % (LEADS.size() - 1));
        return lead + " " + competencies.get(index) + ". Tell me about a concrete situation from your work where"
                + " it mattered: what did you do, and what came of it?";
    }

    private String followUp(List<String> answer) {
        if (answer.size() < VAGUE_ANSWER_WORDS) {
            return "Could you make that more concrete? Take one specific example and walk me through what you did.";
        }
        return switch (topic % 3) {
            case 0 -> "Thank you. Looking back, what was the hardest part of that, and what would you do"
                    + " differently today?";
            case 1 -> "Interesting. How did you know it had worked, and what did you learn from it?";
            default -> "Thank you. Who else was involved, and how did you bring them along?";
        };
    }

    private String closingLine() {
        return "Thank you" + firstName.map(name -> ", " + name).orElse("") + ", that was my last question."
                + " I appreciate your time. " + company.orElse("The company") + " will be in touch with you about"
                + " the next steps. Goodbye!";
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String word : Objects.requireNonNullElse(text, "").split("[^\\p{L}\\p{N}']+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    private static Optional<String> nonBlank(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.isEmpty() ? Optional.empty() : Optional.of(flat);
    }

    /** What the interviewer says next; {@code closing} when it is the last line of the interview. */
    public record Reply(String text, boolean closing) {
        public Reply {
            Objects.requireNonNull(text, "text");
        }
    }

    @Override
    public String toString() {
        // Names are personal data: say only where the interview stands.
        return "ScriptedInterviewer[topic " + (topic + 1) + "/" + topics() + (followedUp ? ", followed up" : "")
                + (finished ? ", finished" : "") + "]";
    }
}
