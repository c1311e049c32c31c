package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.position.Candidate;
import java.util.List;

/** Staff register and look up candidates. */
public interface ManageCandidatesUseCase {

    Candidate create(Principal principal, String name, String email);

    List<Candidate> candidates(Principal principal);

    /** @throws ai.interviewinsights.domain.model.DomainException {@code candidate.not_found} */
    Candidate candidate(Principal principal, CandidateId id);
}
