package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import java.util.List;

/** Admins define positions; staff read them. */
public interface ManagePositionsUseCase {

    /** @throws ai.interviewinsights.domain.model.DomainException {@code access.admin_only}, {@code invalid.*} */
    Position create(Principal principal, String title, String description, List<Competency> competencies);

    List<Position> list(Principal principal);

    /** @throws ai.interviewinsights.domain.model.DomainException {@code position.not_found} */
    Position get(Principal principal, PositionId id);
}
