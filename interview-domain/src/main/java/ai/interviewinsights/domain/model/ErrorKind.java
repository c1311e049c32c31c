package ai.interviewinsights.domain.model;

/**
 * What kind of failure a {@link DomainException} reports. Edges (HTTP, WebSocket) map a kind to a status;
 * the stable, finer-grained reason travels in {@link DomainException#code()}.
 */
public enum ErrorKind {
    /** The caller sent something malformed or out of range; fixing the input fixes the call. */
    INVALID_INPUT,
    /** No valid credentials were presented. */
    UNAUTHENTICATED,
    /** The caller is known but may not do this. */
    FORBIDDEN,
    /** The thing does not exist, or the caller may not know that it exists. */
    NOT_FOUND,
    /** The request collides with the current state (a duplicate, an illegal transition, a stale version). */
    CONFLICT,
    /** The thing existed but is no longer usable (an expired invite, a finished session). */
    GONE,
    /** The caller is being rate limited. */
    RATE_LIMITED,
    /** A capability is not configured, or a dependency is down; retrying later may help. */
    UNAVAILABLE,
    /** A dependency answered with an error that retrying will not fix. */
    UPSTREAM_FAILED
}
