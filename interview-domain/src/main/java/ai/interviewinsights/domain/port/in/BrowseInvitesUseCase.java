package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.InviteId;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.invite.Invite;
import java.util.List;

/** Staff look up the invites they sent (read only: withdrawing one is {@link RevokeInviteUseCase}). */
public interface BrowseInvitesUseCase {

    List<Invite> list(Principal principal);

    /** @throws ai.interviewinsights.domain.model.DomainException {@code invite.not_found} */
    Invite get(Principal principal, InviteId id);
}
