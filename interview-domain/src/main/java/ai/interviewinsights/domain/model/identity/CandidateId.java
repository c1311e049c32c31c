package ai.interviewinsights.domain.model.identity;

import java.util.UUID;

/** Identifies a person invited to interview. */
public record CandidateId(UUID value) {

    public CandidateId {
        Ids.require(value, "candidate_id");
    }

    /**
     * Parses the canonical UUID text form.
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code invalid.candidate_id} when the text is not a UUID
     */
    public static CandidateId of(String text) {
        return new CandidateId(Ids.parse(text, "candidate_id"));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
