package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.InviteId;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.invite.Invite;

/** Staff withdraw an invite they sent, so its link no longer starts an interview. */
public interface RevokeInviteUseCase {

    /**
     * @return the invite, revoked
     * @throws ai.interviewinsights.domain.model.DomainException {@code invite.not_found} (also for another tenant's
     *         invite), {@code access.staff_only}
     */
    Invite revoke(Principal principal, InviteId id);
}
