package ai.interviewinsights.domain.model.evaluation;

import ai.interviewinsights.domain.model.DomainException;
import java.util.Locale;

/** The evaluator's overall advice to the hiring team. */
public enum Recommendation {
    STRONG_HIRE, HIRE, NO_HIRE, STRONG_NO_HIRE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Recommendation fromWire(String text) {
        for (Recommendation r : values()) {
            if (r.wireName().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return r;
            }
        }
        throw DomainException.invalid("invalid.recommendation",
                "recommendation must be strong_hire, hire, no_hire or strong_no_hire");
    }
}
