package ai.interviewinsights.domain.model.transcript;

import ai.interviewinsights.domain.model.DomainException;

/**
 * The one rule for how many transcript entries travel together, wherever a batch is taken: from the browser at the
 * runner, from the runner at the control plane, and when the runner's outbox is sent. A bound keeps one message's
 * work (and one transaction) small; the runner sends a longer outbox in several batches.
 */
public final class TranscriptBatch {

    public static final int MAX_ENTRIES = 500;

    private TranscriptBatch() {
    }

    /** @throws DomainException {@code invalid.batch} (INVALID_INPUT) when a batch of this size is too large */
    public static void requireWithinLimit(int size) {
        if (size > MAX_ENTRIES) {
            throw DomainException.invalid("invalid.batch", "a batch holds at most " + MAX_ENTRIES + " entries");
        }
    }
}
