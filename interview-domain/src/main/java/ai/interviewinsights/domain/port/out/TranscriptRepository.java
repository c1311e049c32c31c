package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import java.util.List;

/**
 * Stores transcript entries, one per session and idempotency key. Appending is idempotent: an entry whose key is
 * already stored is reported as a duplicate and the stored entry is left as it is (first writer wins).
 */
public interface TranscriptRepository {

    /**
     * Appends a batch atomically: either every new entry is stored or none is.
     *
     * @param entries entries of {@code session}; keys within one batch are unique
     * @return which keys were newly stored and which were already there, each in the batch's order
     */
    AppendResult append(AccessScope scope, TenantId tenant, SessionId session, List<TranscriptEntry> entries);

    /** The session's entries in conversation order (position, then time spoken, then key). */
    List<TranscriptEntry> read(AccessScope scope, TenantId tenant, SessionId session);

    /**
     * The position after the session's last stored entry (0 when none): where a runner carries on. Its cost does not
     * grow with the transcript's text (it never reads the entries), so a runner's start stays cheap in a long
     * interview.
     */
    long nextPosition(AccessScope scope, TenantId tenant, SessionId session);
}
