package ai.interviewinsights.domain.model.position;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** An open position of a tenant and the competencies an interview for it assesses. */
public record Position(PositionId id, TenantId tenant, String title, String description,
                       List<Competency> competencies) {

    public static final int MAX_COMPETENCIES = 20;

    public Position {
        Require.present(id, "position_id");
        Require.present(tenant, "tenant_id");
        title = Require.text(title, "position_title", 200);
        description = Require.optionalText(description, "position_description", 10_000);
        competencies = List.copyOf(Require.notEmpty(competencies, "competencies"));
        if (competencies.size() > MAX_COMPETENCIES) {
            throw DomainException.invalid("invalid.competencies",
                    "a position has at most " + MAX_COMPETENCIES + " competencies");
        }
        Set<String> seen = new HashSet<>();
        for (Competency competency : competencies) {
            if (!seen.add(competency.name().toLowerCase(Locale.ROOT))) {
                throw DomainException.invalid("invalid.competencies",
                        "competency names must be unique, '" + competency.name() + "' appears twice");
            }
        }
    }

    public Optional<Competency> competency(String name) {
        return competencies.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
    }
}
