package ai.interviewinsights.domain.model.session;

/** How an interview came about. Both flows must end with the same, complete transcript. */
public enum SessionOrigin {
    /** A staff member started it for a candidate (the admin flow). */
    STAFF,
    /** A candidate opened an invite link without signing in (the candidate-invite flow). */
    INVITE
}
