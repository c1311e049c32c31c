package ai.interviewinsights.domain.runner;

import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The runner's entries received and not yet acknowledged by the control plane, in the order they are to be written.
 * Entries leave only from the head, once written (or refused for good). Besides the list it keeps what every
 * message asks of it in constant time (decision 26): whether a key is waiting (each browser message asks for each
 * of its keys) and what the waiting entries weigh as JSON (each delivery asks whether a write is due), where both
 * used to be a walk over the whole outbox per message. Not thread-safe: the runner guards it with its lock.
 */
final class Outbox {

    private final List<TranscriptEntry> entries = new ArrayList<>();
    /** How many waiting entries carry each key (one, in practice: the assembler releases a key once). */
    private final Map<IdempotencyKey, Integer> keys = new HashMap<>();
    private long weight;

    void addAll(List<TranscriptEntry> released) {
        for (TranscriptEntry entry : released) {
            entries.add(entry);
            keys.merge(entry.key(), 1, Integer::sum);
            weight += InterviewRunner.jsonWeight(entry);
        }
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    int size() {
        return entries.size();
    }

    TranscriptEntry get(int index) {
        return entries.get(index);
    }

    /** Whether an entry with this key is waiting. */
    boolean contains(IdempotencyKey key) {
        return keys.containsKey(key);
    }

    /** What the waiting entries weigh as JSON (the sum of {@link InterviewRunner#jsonWeight}). */
    long weight() {
        return weight;
    }

    /** The first {@code count} entries (a copy). */
    List<TranscriptEntry> head(int count) {
        return List.copyOf(entries.subList(0, count));
    }

    /** Removes the first {@code count} entries: they were written. */
    void removeHead(int count) {
        List<TranscriptEntry> gone = entries.subList(0, count);
        for (TranscriptEntry entry : gone) {
            forget(entry);
        }
        gone.clear();
    }

    /** Removes the first entry if it carries {@code key} (refused for good, dropped). */
    void removeHeadIf(IdempotencyKey key) {
        if (!entries.isEmpty() && entries.get(0).key().equals(key)) {
            forget(entries.remove(0));
        }
    }

    private void forget(TranscriptEntry entry) {
        keys.computeIfPresent(entry.key(), (k, n) -> n == 1 ? null : n - 1);
        weight -= InterviewRunner.jsonWeight(entry);
    }
}
