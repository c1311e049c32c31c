package ai.interviewinsights.domain.model.session;

/** Why an active interview ended. */
public enum EndReason {
    /** The candidate (or their browser) ended it. */
    CANDIDATE_ENDED,
    /** A staff member ended it. */
    STAFF_ENDED,
    /** The interview's time budget ran out and the runner hung up. */
    TIME_BUDGET_SPENT,
    /** The call ended on OpenAI's side or the connection to it was lost for good. */
    CALL_ENDED
}
