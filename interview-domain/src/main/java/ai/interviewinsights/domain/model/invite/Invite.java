package ai.interviewinsights.domain.model.invite;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.InviteId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import ai.interviewinsights.domain.model.interview.InterviewSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An invitation for a candidate to interview for a position, opened through a link without signing in. Redeeming
 * it creates the interview session; opening the link again while that session is live returns the same session
 * (a candidate who reloads the page must not lose their interview), and once the session is over the link is used up.
 *
 * @param tokenHash hex SHA-256 of the link's token; the token itself is never stored
 */
public record Invite(InviteId id, TenantId tenant, CandidateId candidate, PositionId position,
                     InterviewSettings settings, String tokenHash, InviteStatus status, Instant createdAt,
                     Instant expiresAt, UserId createdBy, SessionId session, Instant redeemedAt) {

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    public Invite {
        Require.present(id, "invite_id");
        Require.present(tenant, "tenant_id");
        Require.present(candidate, "candidate_id");
        Require.present(position, "position_id");
        Require.present(settings, "settings");
        Require.present(status, "status");
        Require.present(createdAt, "created_at");
        Require.present(expiresAt, "expires_at");
        Require.present(createdBy, "created_by");
        if (tokenHash == null || !HASH.matcher(tokenHash).matches()) {
            throw new IllegalArgumentException("an invite stores the hex SHA-256 of its token");
        }
        if (!expiresAt.isAfter(createdAt)) {
            throw DomainException.invalid("invalid.expires_at", "an invite must expire after it is created");
        }
        if ((status == InviteStatus.REDEEMED) != (session != null && redeemedAt != null)
                && !(status == InviteStatus.PENDING && session == null)) {
            // A PENDING invite may carry a redemption time without a session: a redemption has claimed it.
            throw new IllegalArgumentException("a REDEEMED invite, and only one, has a session and a redemption time");
        }
    }

    public static Invite issue(InviteId id, TenantId tenant, CandidateId candidate, PositionId position,
                               InterviewSettings settings, InviteToken token, Instant expiresAt, UserId createdBy,
                               Clock clock) {
        return new Invite(id, tenant, candidate, position, settings, token.hash(), InviteStatus.PENDING,
                clock.instant(), expiresAt, createdBy, null, null);
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /**
     * Checks the invite can start an interview now.
     *
     * @throws DomainException {@code invite.revoked} or {@code invite.expired} (GONE)
     */
    public void requireRedeemable(Instant now) {
        if (status == InviteStatus.REVOKED) {
            throw DomainException.gone("invite.revoked", "this invite was withdrawn");
        }
        if (status == InviteStatus.PENDING && isExpired(now)) {
            throw DomainException.gone("invite.expired", "this invite has expired");
        }
    }

    public Invite redeemed(SessionId sessionId, Clock clock) {
        if (status != InviteStatus.PENDING) {
            throw DomainException.conflict("invite.not_pending", "this invite is " + status + ", not PENDING");
        }
        return new Invite(id, tenant, candidate, position, settings, tokenHash, InviteStatus.REDEEMED, createdAt,
                expiresAt, createdBy, sessionId, clock.instant());
    }

    /** The invite while one redemption holds it (see the repository's claim); still PENDING. */
    public Invite claimed(Instant at) {
        if (status != InviteStatus.PENDING) {
            throw DomainException.conflict("invite.not_pending", "this invite is " + status + ", not PENDING");
        }
        return new Invite(id, tenant, candidate, position, settings, tokenHash, status, createdAt, expiresAt,
                createdBy, null, at);
    }

    /** The invite as it was before any redemption claimed it. */
    public Invite unclaimed() {
        return status != InviteStatus.PENDING ? this : new Invite(id, tenant, candidate, position, settings,
                tokenHash, status, createdAt, expiresAt, createdBy, null, null);
    }

    /**
     * Withdraws the link.
     *
     * @throws DomainException {@code invite.already_redeemed} (CONFLICT) when an interview was already started
     *         with it: that interview is cancelled through its session, the invite's record of it is kept
     */
    public Invite revoked() {
        if (status == InviteStatus.REVOKED) {
            return this;
        }
        if (status == InviteStatus.REDEEMED) {
            throw DomainException.conflict("invite.already_redeemed", "this invite was already used for session "
                    + session + "; cancel that session instead");
        }
        return new Invite(id, tenant, candidate, position, settings, tokenHash, InviteStatus.REVOKED, createdAt,
                expiresAt, createdBy, session, redeemedAt);
    }

    public Optional<SessionId> redeemedSession() {
        return Optional.ofNullable(session);
    }
}
