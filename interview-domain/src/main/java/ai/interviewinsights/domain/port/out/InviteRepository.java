package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.InviteId;
import ai.interviewinsights.domain.model.invite.Invite;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stores invites; only the hash of an invite's token is ever stored. */
public interface InviteRepository {

    /** Inserts or updates the invite. */
    void save(AccessScope scope, Invite invite);

    /**
     * Claims a PENDING invite for one redemption, as a conditional update in the store: it succeeds only if the
     * invite is still PENDING and unclaimed (or its claim is older than {@code staleBefore}: the redemption that held
     * it died). The claim is recorded as the invite's redemption time while it stays PENDING; {@link #save} with the
     * REDEEMED invite completes it, {@link #save} with the unclaimed invite gives it back.
     *
     * @return false when another redemption holds the invite, or it is no longer PENDING
     */
    boolean claim(AccessScope scope, InviteId id, Instant at, Instant staleBefore);

    Optional<Invite> find(AccessScope scope, InviteId id);

    /** Looks an invite up by the SHA-256 of its token: how an unauthenticated link is resolved (system scope). */
    Optional<Invite> findByTokenHash(AccessScope scope, String tokenHash);

    /** The scope's invites, newest first. */
    List<Invite> list(AccessScope scope);
}
