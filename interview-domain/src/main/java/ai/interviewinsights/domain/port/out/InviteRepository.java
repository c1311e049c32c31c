package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.InviteId;
import ai.interviewinsights.domain.model.invite.Invite;
import java.util.List;
import java.util.Optional;

/** Stores invites; only the hash of an invite's token is ever stored. */
public interface InviteRepository {

    /** Inserts or updates the invite. */
    void save(AccessScope scope, Invite invite);

    Optional<Invite> find(AccessScope scope, InviteId id);

    /** Looks an invite up by the SHA-256 of its token: how an unauthenticated link is resolved (system scope). */
    Optional<Invite> findByTokenHash(AccessScope scope, String tokenHash);

    /** The scope's invites, newest first. */
    List<Invite> list(AccessScope scope);
}
