package ai.interviewinsights.domain.model.identity;

/** What a principal may do inside its tenant. */
public enum Role {
    /** Manages the tenant: positions, candidates, invites, interviews and reports. */
    ADMIN,
    /** Runs interviews and reads reports; may register candidates and invite them, but not define positions. */
    INTERVIEWER,
    /** A candidate holding an invite or session token; bound to exactly one session. */
    CANDIDATE,
    /** A session runner process; bound to exactly one session, holds no database credentials. */
    RUNNER;

    /** Whether principals with this role are bound to a single interview session. */
    public boolean isSessionBound() {
        return this == CANDIDATE || this == RUNNER;
    }

    /** Whether this role belongs to the hiring company's staff. */
    public boolean isStaff() {
        return this == ADMIN || this == INTERVIEWER;
    }
}
