package ai.interviewinsights.domain.model.interview;

import ai.interviewinsights.domain.model.position.Competency;
import java.util.Locale;

/**
 * Writes the system instructions for the AI interviewer from an {@link InterviewContext}. Versioned, because
 * evaluations record which prompt produced the conversation they judge.
 */
public final class InterviewerInstructions {

    /** Bump when the text below changes in substance. */
    public static final String VERSION = "interviewer-v1";

    private InterviewerInstructions() {
    }

    public static String from(InterviewContext context) {
        StringBuilder text = new StringBuilder(1024);
        Locale language = Locale.forLanguageTag(context.settings().language().value());
        text.append("You are a professional, friendly interviewer for ").append(context.company().name())
                .append(", interviewing a candidate for the position \"").append(context.position().title())
                .append("\".\n");
        text.append("Conduct the whole interview in ").append(language.getDisplayLanguage(Locale.ENGLISH))
                .append(" (").append(context.settings().language().value()).append(").\n");
        if (!context.position().description().isEmpty()) {
            text.append("\nAbout the position:\n").append(context.position().description()).append('\n');
        }
        text.append("\nAssess these competencies, giving more time to those with higher weight:\n");
        for (Competency competency : context.position().competencies()) {
            text.append("- ").append(competency.name()).append(" (weight ").append(competency.weight()).append(")");
            if (!competency.description().isEmpty()) {
                text.append(": ").append(competency.description());
            }
            text.append('\n');
        }
        long minutes = context.settings().maxDuration().toMinutes();
        text.append("\nThe interview lasts at most ").append(minutes).append(" minutes. ")
                .append("Greet the candidate by their first name, ")
                .append(firstName(context.candidate().name()))
                .append(", ask one question at a time, follow up on vague answers, and ask for concrete examples. ")
                .append("Do not reveal scores or your assessment. ")
                .append("Near the end, thank the candidate and tell them the company will be in touch.\n");
        return text.toString();
    }

    private static String firstName(String fullName) {
        String[] parts = fullName.strip().split("\\s+", 2);
        return parts[0];
    }
}
