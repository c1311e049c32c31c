package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import java.util.List;
import java.util.Objects;

/** Stores a batch of transcript entries of one session, each exactly once. */
public interface RecordTranscriptUseCase {

    /**
     * @return which keys were newly stored and which were already stored; both are safe to acknowledge
     * @throws ai.interviewinsights.domain.model.DomainException {@code session.not_found} (NOT_FOUND; also for
     *         another tenant's session), {@code access.other_session} (FORBIDDEN), {@code session.not_live} (GONE),
     *         {@code invalid.batch} (more than
     *         {@link ai.interviewinsights.domain.model.transcript.TranscriptBatch#MAX_ENTRIES} entries, or a key twice)
     */
    AppendResult record(RecordTranscript command);

    record RecordTranscript(Principal principal, SessionId session, List<TranscriptEntry> entries) {
        public RecordTranscript {
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(session, "session");
            entries = List.copyOf(entries);
        }
    }
}
