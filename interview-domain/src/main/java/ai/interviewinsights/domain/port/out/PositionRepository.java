package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.position.Position;
import java.util.List;
import java.util.Optional;

/** Stores positions with their competencies, within the scope's tenant. */
public interface PositionRepository {

    /** Inserts or replaces the position (competencies included). */
    void save(AccessScope scope, Position position);

    Optional<Position> find(AccessScope scope, PositionId id);

    /** The scope's positions, by title. */
    List<Position> list(AccessScope scope);
}
