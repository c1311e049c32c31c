package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.position.Candidate;
import java.util.List;
import java.util.Optional;

/** Stores candidates, within the scope's tenant. */
public interface CandidateRepository {

    void save(AccessScope scope, Candidate candidate);

    Optional<Candidate> find(AccessScope scope, CandidateId id);

    /** The scope's candidates, by name. */
    List<Candidate> list(AccessScope scope);
}
