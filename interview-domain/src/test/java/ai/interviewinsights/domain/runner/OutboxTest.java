package ai.interviewinsights.domain.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.testing.Fixtures;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The runner's outbox answers "is this key waiting" and "what does it weigh" without walking itself (decision 26);
 * both must stay exactly what a walk would say as entries come and go.
 */
class OutboxTest {

    private final SessionId session = new SessionId(UUID.randomUUID());

    private TranscriptEntry entry(int i, String text) {
        return Fixtures.entry(session, "item_" + i, i, i % 2 == 0 ? Speaker.AI : Speaker.CANDIDATE, text);
    }

    private static long walkedWeight(List<TranscriptEntry> entries) {
        return entries.stream().mapToLong(InterviewRunner::jsonWeight).sum();
    }

    @Test
    void keys_and_weight_follow_the_entries_in_and_out_of_the_head() {
        Outbox outbox = new Outbox();
        List<TranscriptEntry> all = List.of(entry(0, "Hello."), entry(1, "Tschüss \"quoted\" \n"),
                entry(2, "x".repeat(3000)), entry(3, "€ and 😀"));
        outbox.addAll(all.subList(0, 2));
        outbox.addAll(all.subList(2, 4));
        assertEquals(4, outbox.size());
        assertEquals(walkedWeight(all), outbox.weight());
        assertTrue(all.stream().allMatch(e -> outbox.contains(e.key())));
        assertEquals(all.subList(0, 3), outbox.head(3));

        outbox.removeHead(2);
        assertEquals(walkedWeight(all.subList(2, 4)), outbox.weight());
        assertFalse(outbox.contains(IdempotencyKey.of("item_0")));
        assertFalse(outbox.contains(IdempotencyKey.of("item_1")));
        assertTrue(outbox.contains(IdempotencyKey.of("item_2")));
        assertEquals(all.get(2), outbox.get(0));

        outbox.removeHeadIf(IdempotencyKey.of("item_3")); // not the head: nothing leaves
        assertEquals(2, outbox.size());
        outbox.removeHeadIf(IdempotencyKey.of("item_2"));
        assertEquals(List.of(all.get(3)), outbox.head(1));
        assertEquals(walkedWeight(all.subList(3, 4)), outbox.weight());

        outbox.removeHead(1);
        assertTrue(outbox.isEmpty());
        assertEquals(0, outbox.weight());
        assertFalse(outbox.contains(IdempotencyKey.of("item_3")));
    }

    @Test
    void a_key_waiting_twice_stays_waiting_until_both_have_left() {
        Outbox outbox = new Outbox();
        TranscriptEntry first = entry(0, "once");
        outbox.addAll(List.of(first, first));
        outbox.removeHead(1);
        assertTrue(outbox.contains(first.key()), "the second copy is still waiting");
        outbox.removeHead(1);
        assertFalse(outbox.contains(first.key()));
    }
}
