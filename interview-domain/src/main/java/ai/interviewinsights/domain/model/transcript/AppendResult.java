package ai.interviewinsights.domain.model.transcript;

import java.util.List;

/**
 * What an idempotent append did with each key of a batch: newly stored, or already there. A client acknowledges
 * both alike; either way the entry is durable and need not be sent again.
 */
public record AppendResult(List<IdempotencyKey> stored, List<IdempotencyKey> duplicates) {

    public AppendResult {
        stored = List.copyOf(stored);
        duplicates = List.copyOf(duplicates);
    }

    public static AppendResult empty() {
        return new AppendResult(List.of(), List.of());
    }

    public AppendResult plus(AppendResult other) {
        List<IdempotencyKey> allStored = new java.util.ArrayList<>(stored);
        allStored.addAll(other.stored);
        List<IdempotencyKey> allDuplicates = new java.util.ArrayList<>(duplicates);
        allDuplicates.addAll(other.duplicates);
        return new AppendResult(allStored, allDuplicates);
    }
}
