package ai.interviewinsights.domain.model.position;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.TenantId;
import java.util.regex.Pattern;

/**
 * A person a tenant interviews. The e-mail is optional (invites are links the tenant may hand over any way)
 * and, when given, only checked for a plausible shape.
 */
public record Candidate(CandidateId id, TenantId tenant, String name, String email) {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    public Candidate {
        Require.present(id, "candidate_id");
        Require.present(tenant, "tenant_id");
        name = Require.text(name, "candidate_name", 200);
        email = Require.optionalText(email, "candidate_email", 320);
        if (!email.isEmpty() && !EMAIL.matcher(email).matches()) {
            throw DomainException.invalid("invalid.candidate_email", "candidate_email is not an e-mail address");
        }
    }

    @Override
    public String toString() {
        // Personal data stays out of logs that print records.
        return "Candidate[id=" + id + ", tenant=" + tenant + "]";
    }
}
