package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionQuery;
import ai.interviewinsights.domain.model.session.SessionStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stores interview sessions. Every call runs in the given scope: a principal's scope sees only its tenant's
 * sessions (a candidate or runner only its own session), as enforced by the store itself.
 */
public interface SessionRepository {

    /**
     * Inserts a new session (version 0) or updates a stored one if it is still at the version it was loaded at.
     *
     * @return the session as saved, at its new version
     * @throws ai.interviewinsights.domain.model.session.ConcurrentUpdateException (CONFLICT,
     *         {@code session.concurrent_update}) when the stored version moved on; a {@code DomainException}
     *         {@code forbidden} when the scope may not write it
     */
    InterviewSession save(AccessScope scope, InterviewSession session);

    /** The session, if it exists and the scope may see it. */
    Optional<InterviewSession> find(AccessScope scope, SessionId id);

    /** The scope's most recent sessions, newest first. */
    List<InterviewSession> listRecent(AccessScope scope, int limit);

    /**
     * The page of the scope's sessions the query asks for, filtered and paged by the store, newest first (creation
     * time, then id, both descending), with the number of all matches.
     */
    SessionQuery.Page search(AccessScope scope, SessionQuery query);

    /** Non-terminal sessions with no activity since {@code lastActivityBefore}, oldest first (for the reaper). */
    List<InterviewSession> findIdle(AccessScope scope, Instant lastActivityBefore, int limit);

    /** The session whose recording is the given provider video. */
    Optional<InterviewSession> findByVideo(AccessScope scope, VideoId videoId);

    /** The status of each of the given sessions that exists (for the runner reconciler). */
    Map<SessionId, SessionStatus> statuses(AccessScope scope, Collection<SessionId> ids);
}
