package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.transcript.ClientEntry;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import java.util.List;
import java.util.Objects;

/**
 * The runner takes the transcript entries the candidate's browser forwarded ({@code transcript_update},
 * docs/protocol.md): each joins the turn the sideband saw of the same item, or is recorded on its own, exactly once.
 */
public interface TakeTranscriptUpdateUseCase {

    /**
     * @throws ai.interviewinsights.domain.model.DomainException {@code invalid.batch} for more entries than a
     *         batch may hold; {@code session.not_live} (GONE) once the interview has ended
     */
    ClientBatchOutcome acceptClientEntries(List<ClientEntry> entries);

    /**
     * How a browser's batch was taken: durable keys (stored or already stored) and keys the runner holds until an
     * earlier turn of the conversation is finished. A client resends only what is in neither list.
     */
    record ClientBatchOutcome(List<IdempotencyKey> stored, List<IdempotencyKey> duplicates,
                              List<IdempotencyKey> pending) {
        public ClientBatchOutcome {
            stored = List.copyOf(Objects.requireNonNull(stored, "stored"));
            duplicates = List.copyOf(Objects.requireNonNull(duplicates, "duplicates"));
            pending = List.copyOf(Objects.requireNonNull(pending, "pending"));
        }
    }
}
