package ai.interviewinsights.domain.model.session;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.PositionId;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Which of the scope's sessions to list, and which page of them: filtered by status (any of them; none given means
 * every status), position and creation time ({@code from} inclusive, {@code to} exclusive), newest first with the id
 * as the tie-break, so offset paging is stable. The store filters and pages (decision 0019): a filter finds a
 * session however old it is.
 */
public record SessionQuery(Set<SessionStatus> statuses, PositionId position, Instant from, Instant to, int limit,
                           int offset) {

    public static final int MAX_LIMIT = 500;
    /** Deep offsets cost the store a scan each; nobody pages this far through a console by hand. */
    public static final int MAX_OFFSET = 1_000_000;

    public SessionQuery {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
        if (limit < 1 || limit > MAX_LIMIT || offset < 0 || offset > MAX_OFFSET) {
            throw DomainException.invalid("invalid.paging",
                    "limit is 1 to " + MAX_LIMIT + " and offset 0 to " + MAX_OFFSET);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw DomainException.invalid("invalid.date_range", "from must be before to");
        }
    }

    /** The newest {@code limit} sessions, unfiltered. */
    public static SessionQuery newest(int limit) {
        return new SessionQuery(Set.of(), null, null, null, limit, 0);
    }

    public Optional<PositionId> positionFilter() {
        return Optional.ofNullable(position);
    }

    /** Whether a session passes the filters (for stores that filter in memory, and for tests). */
    public boolean matches(InterviewSession.Snapshot s) {
        return (statuses.isEmpty() || statuses.contains(s.status()))
                && (position == null || position.equals(s.position()))
                && (from == null || !s.createdAt().isBefore(from))
                && (to == null || s.createdAt().isBefore(to));
    }

    /** One page of matches and how many match in all. */
    public record Page(java.util.List<InterviewSession> items, long total) {
        public Page {
            items = java.util.List.copyOf(items);
            if (total < items.size()) {
                throw new IllegalArgumentException("total below the page size");
            }
        }
    }
}
