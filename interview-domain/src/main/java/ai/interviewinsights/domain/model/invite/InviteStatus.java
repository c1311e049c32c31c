package ai.interviewinsights.domain.model.invite;

/** Where an invite is. Expiry is a matter of time ({@link Invite#isExpired}), not a stored status. */
public enum InviteStatus {
    /** Not used yet. */
    PENDING,
    /** The candidate opened it and an interview session exists for it. */
    REDEEMED,
    /** Staff withdrew it. */
    REVOKED
}
