package ai.interviewinsights.domain.model.transcript;

import ai.interviewinsights.domain.model.FailureReason;
import ai.interviewinsights.domain.model.identity.SessionId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns the Realtime events of one call, from the sideband and from the browser, into finished transcript entries
 * released in conversation order, each exactly once.
 *
 * <p>OpenAI's events do not arrive in conversation order: the candidate's transcription completes asynchronously,
 * often after the interviewer has started to answer. The assembler keeps the conversation's order from each item's
 * {@code previous_item_id} and holds an entry back until every entry before it is finished, so positions are
 * assigned in conversation order and never collide.
 *
 * <p>The same item may arrive twice, from the sideband and from the browser: it becomes one entry. A final
 * transcript (completed/done) always wins over text accumulated from deltas. An interrupted interviewer turn is
 * kept and marked {@link EntryStatus#TRUNCATED} with how much audio the candidate heard; a failed transcription is
 * kept as {@link EntryStatus#FAILED} with its reason. When the call ends, {@link #flush()} releases whatever is
 * still open, marked FAILED with the partial text it had: nothing is ever silently dropped.
 *
 * <p>A turn may name a predecessor nobody has seen yet (the browser forwarded it before the sideband announced the
 * turn before it). Such a turn waits for its predecessor, for at most {@code predecessorPatience} of receive time;
 * if the predecessor never comes (it was not a message, or it was added before anyone listened) the turn is released
 * where it stands, by the next event or {@link #tick(Instant)}.
 *
 * <p><b>Trust.</b> Once the sideband has delivered anything it is the authority (docs/decisions, the transcript
 * trust model): a browser's final text for an item waits, for at most {@code predecessorPatience}, for the sideband
 * to corroborate it, and the sideband's final text always replaces the browser's. What the sideband never
 * corroborates is kept but stays {@link TranscriptSource#CLIENT}, so nobody (the evaluator included) takes it for
 * the interviewer's words or for what the server heard. An entry the browser sends without an item id (the design
 * documents' {@code {text, speaker, timestamp}}) is matched to the sideband's turns by speaker and normalised text,
 * in order, and becomes the same entry; only when no sideband turn matches within the patience is it kept on its
 * own, as client-only.
 *
 * <p>Not thread-safe: one call's events are fed from one place (the runner serialises them).
 */
public final class TranscriptAssembler {

    public static final Duration DEFAULT_PREDECESSOR_PATIENCE = Duration.ofSeconds(5);

    private final SessionId session;
    private final Duration predecessorPatience;
    private final LinkedList<Item> order = new LinkedList<>();
    private final Map<String, Item> open = new HashMap<>();
    private final Set<IdempotencyKey> released = new HashSet<>();
    private long nextPosition;
    private Instant latest = Instant.MIN;
    /** Whether the sideband has delivered anything: from then on it is the authority. */
    private boolean sidebandSeen;
    /** Browser entries without an item id, waiting for a sideband turn to match (see the class comment). */
    private final List<Unanchored> unanchored = new ArrayList<>();
    /** Sideband turns with their final text, oldest first (the most recent {@value #MAX_MATCHABLE}). */
    private final LinkedList<Matchable> matchable = new LinkedList<>();
    /** A browser key that turned out to name a sideband turn, to that turn's key. */
    private final Map<IdempotencyKey, IdempotencyKey> aliases = new HashMap<>();

    private static final int MAX_MATCHABLE = 1_000;

    /** A browser entry without an item id, waiting to be matched. */
    private record Unanchored(ClientEntry entry, Instant arrived) {
    }

    /** A sideband turn an id-less browser entry may match; claimed once an entry matched it. */
    private static final class Matchable {
        final IdempotencyKey key;
        final Speaker speaker;
        final String text;
        boolean claimed;

        Matchable(IdempotencyKey key, Speaker speaker, String text) {
            this.key = key;
            this.speaker = speaker;
            this.text = text;
        }
    }

    /**
     * @param firstPosition       the position the first released entry gets (non-zero when resuming after entries
     *                            were already stored)
     * @param predecessorPatience how long a turn waits for a predecessor nobody has seen yet
     */
    public TranscriptAssembler(SessionId session, long firstPosition, Duration predecessorPatience) {
        this.session = Objects.requireNonNull(session, "session");
        if (firstPosition < 0) {
            throw new IllegalArgumentException("firstPosition must not be negative");
        }
        this.nextPosition = firstPosition;
        this.predecessorPatience = Objects.requireNonNull(predecessorPatience, "predecessorPatience");
    }

    public TranscriptAssembler(SessionId session, long firstPosition) {
        this(session, firstPosition, DEFAULT_PREDECESSOR_PATIENCE);
    }

    public TranscriptAssembler(SessionId session) {
        this(session, 0);
    }

    /** Feeds one server event; returns the entries this released, in conversation order (often none). */
    public List<TranscriptEntry> accept(RealtimeEvent event) {
        advance(event.receivedAt());
        if (event.source() == TranscriptSource.SIDEBAND) {
            sidebandSeen = true;
        }
        // Java 17: no pattern matching for switch yet, so an instanceof chain over the sealed type.
        if (event instanceof RealtimeEvent.ItemAdded e) {
            Item item = item(e.itemId(), e.speaker(), e.receivedAt());
            if (item != null) {
                place(item, e.previousItemId());
                resolveWaiters(item);
                if (e.text() != null) {
                    complete(item, e.text(), e.source());
                }
            }
        } else if (event instanceof RealtimeEvent.InputTranscriptionDelta e) {
            ifOpen(item(e.itemId(), Speaker.CANDIDATE, e.receivedAt()), i -> i.delta(e.delta(), e.source()));
        } else if (event instanceof RealtimeEvent.InputTranscriptionCompleted e) {
            ifOpen(item(e.itemId(), Speaker.CANDIDATE, e.receivedAt()), i -> complete(i, e.transcript(), e.source()));
        } else if (event instanceof RealtimeEvent.InputTranscriptionFailed e) {
            ifOpen(item(e.itemId(), Speaker.CANDIDATE, e.receivedAt()), i -> i.fail(e.reason(), e.source()));
        } else if (event instanceof RealtimeEvent.OutputTranscriptDelta e) {
            ifOpen(item(e.itemId(), Speaker.AI, e.receivedAt()), i -> i.delta(e.delta(), e.source()));
        } else if (event instanceof RealtimeEvent.OutputTranscriptDone e) {
            ifOpen(item(e.itemId(), Speaker.AI, e.receivedAt()), i -> complete(i, e.transcript(), e.source()));
        } else if (event instanceof RealtimeEvent.ItemTruncated e) {
            ifOpen(item(e.itemId(), Speaker.AI, e.receivedAt()), i -> i.truncate(e.audioEndMs()));
        }
        // ServerError and CallEnded change nothing here: an error never removes a turn, and the caller decides
        // when to flush, because the browser may still forward what the sideband missed.
        return releaseReady();
    }

    /**
     * Feeds one entry the browser forwarded, received at {@code receivedAt} (the runner's clock, not the browser's);
     * returns the entries this released, in conversation order.
     */
    public List<TranscriptEntry> accept(ClientEntry entry, Instant receivedAt) {
        advance(receivedAt);
        if (entry.itemId() == null && sidebandSeen && !entry.partial()) {
            anchorOrWait(entry, receivedAt);
            return releaseReady();
        }
        String id = entry.key().value();
        Item item = item(id, entry.speaker(), entry.spokenAt());
        if (item != null) {
            if (entry.itemId() != null) {
                place(item, entry.previousItemId());
                resolveWaiters(item);
            }
            if (entry.partial()) {
                item.delta(null, TranscriptSource.CLIENT).setLength(0);
                item.delta(entry.text(), TranscriptSource.CLIENT);
            } else {
                item.complete(entry.text(), TranscriptSource.CLIENT);
                if (item.clientFinalAt == null) {
                    item.clientFinalAt = latest;
                }
            }
        }
        return releaseReady();
    }

    /** An id-less browser entry: the same utterance as a sideband turn, or waiting to be matched by one. */
    private void anchorOrWait(ClientEntry entry, Instant receivedAt) {
        IdempotencyKey key = entry.key();
        if (aliases.containsKey(key) || released.contains(key)
                || unanchored.stream().anyMatch(u -> u.entry().key().equals(key))) {
            return; // the browser sent it again
        }
        Matchable heard = heard(entry.speaker(), normalised(entry.text()));
        if (heard != null) {
            heard.claimed = true;
            aliases.put(key, heard.key);
            return;
        }
        unanchored.add(new Unanchored(entry, receivedAt));
    }

    /**
     * The sideband turn an id-less browser entry is a copy of: the first one with the same speaker and words that no
     * entry has matched yet, in conversation order; else one that was matched already (the browser sent the same
     * utterance again in another shape: with and without a timestamp, say). Null when the sideband never said it.
     */
    private Matchable heard(Speaker speaker, String text) {
        Matchable again = null;
        for (Matchable m : matchable) {
            if (m.speaker == speaker && m.text.equals(text)) {
                if (!m.claimed) {
                    return m;
                }
                if (again == null) {
                    again = m;
                }
            }
        }
        return again;
    }

    /** A sideband turn got its final text: it answers a waiting id-less browser entry, or may answer a later one. */
    private void sidebandFinal(Item item) {
        String text = normalised(item.finalText);
        Matchable heard = new Matchable(item.key, item.speaker, text);
        for (var it = unanchored.iterator(); it.hasNext(); ) {
            Unanchored u = it.next();
            if (u.entry().speaker() == item.speaker && normalised(u.entry().text()).equals(text)) {
                it.remove();
                aliases.put(u.entry().key(), item.key);
                heard.claimed = true;
                break;
            }
        }
        matchable.addLast(heard);
        if (matchable.size() > MAX_MATCHABLE) {
            matchable.removeFirst();
        }
    }

    /** Case, punctuation and spacing do not make another utterance (the browser and the sideband format alike). */
    static String normalised(String text) {
        return text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }

    /**
     * The key an entry was stored under: a browser key matched to a sideband turn names that turn; any other key
     * names itself.
     */
    public IdempotencyKey resolve(IdempotencyKey key) {
        return aliases.getOrDefault(key, key);
    }

    private void complete(Item item, String text, TranscriptSource source) {
        if (item.complete(text, source)) {
            sidebandFinal(item);
        }
    }

    /**
     * The runner has opened (or is opening) the sideband of a call: from now on it is the authority, even before its
     * first event arrives, so what the browser sends in the meantime waits to be corroborated.
     */
    public void expectSideband() {
        sidebandSeen = true;
    }

    /** Lets time pass: a turn waiting too long for an unseen predecessor is released. */
    public List<TranscriptEntry> tick(Instant now) {
        advance(now);
        return releaseReady();
    }

    /** Id-less browser entries no sideband turn matched in time join the conversation on their own, client-only. */
    private void adoptUnmatched(boolean all) {
        for (var it = unanchored.iterator(); it.hasNext(); ) {
            Unanchored u = it.next();
            if (all || latest.isAfter(u.arrived().plus(predecessorPatience))) {
                it.remove();
                Matchable heard = heard(u.entry().speaker(), normalised(u.entry().text()));
                if (heard != null) {
                    aliases.put(u.entry().key(), heard.key); // the same utterance again, in another shape
                    continue;
                }
                Item item = item(u.entry().key().value(), u.entry().speaker(), u.entry().spokenAt());
                if (item != null) {
                    item.complete(u.entry().text(), TranscriptSource.CLIENT);
                    item.clientFinalAt = Instant.MIN; // its wait is over
                }
            }
        }
    }

    private void advance(Instant now) {
        if (now.isAfter(latest)) {
            latest = now;
        }
    }

    /**
     * Releases everything still open, in conversation order: the call is over. An item that never got its final
     * transcript keeps the longest text accumulated from deltas and is marked FAILED, so it is visible and
     * explained rather than lost.
     */
    public List<TranscriptEntry> flush() {
        adoptUnmatched(true);
        List<TranscriptEntry> out = new ArrayList<>();
        for (Item item : order) {
            out.add(release(item, item.isFinished() ? null : item.unfinishedReason()));
        }
        order.clear();
        open.clear();
        return out;
    }

    /** Entries received but not yet released because an earlier entry is unfinished (or is still unverified). */
    public int pendingCount() {
        return order.size() + unanchored.size();
    }

    /** Whether an entry with this key was already released (a later copy of it is a duplicate). */
    public boolean isReleased(IdempotencyKey key) {
        return released.contains(resolve(key));
    }

    private Item item(String itemId, Speaker speaker, Instant seenAt) {
        IdempotencyKey key = IdempotencyKey.of(itemId);
        if (released.contains(key) || aliases.containsKey(key)) {
            return null; // a late copy of an entry already released: nothing to do
        }
        Item item = open.get(itemId);
        if (item == null) {
            item = new Item(key, speaker, seenAt);
            open.put(itemId, item);
            order.addLast(item);
        } else if (seenAt.isBefore(item.firstSeen)) {
            item.firstSeen = seenAt;
        }
        return item;
    }

    private static void ifOpen(Item item, java.util.function.Consumer<Item> action) {
        if (item != null) {
            action.accept(item);
        }
    }

    /**
     * Puts the item right after its predecessor. An item whose predecessor is unknown (added before the sideband
     * connected, or not a message) stays where it was first seen: at the end of what is known so far.
     */
    private void place(Item item, String previousItemId) {
        if (item.placed) {
            return;
        }
        item.placed = true;
        if (previousItemId == null) {
            if (nextPosition == 0 && released.isEmpty()) {
                order.remove(item);
                order.addFirst(item);
            }
            return;
        }
        Item previous = open.get(previousItemId);
        if (previous == item) {
            return;
        }
        item.previousId = previousItemId;
        if (previous == null) {
            if (!released.contains(IdempotencyKey.of(previousItemId))) {
                // Its predecessor has not been seen yet: wait for it (see the class comment).
                item.awaiting = previousItemId;
                item.awaitingSince = latest;
            } else {
                // Its predecessor is already out: nothing still held comes before it.
                moveChainFirst(item);
            }
            return;
        }
        moveAfter(item, previous);
    }

    private void moveChainFirst(Item item) {
        order.remove(item);
        order.addFirst(item);
        moveFollowers(item, 0);
    }

    /** An item was just seen: turns that were waiting for it move right after it. */
    private void resolveWaiters(Item arrived) {
        String id = arrived.key.value();
        for (Item waiting : List.copyOf(order)) {
            if (id.equals(waiting.awaiting)) {
                waiting.awaiting = null;
                moveAfter(waiting, arrived);
            }
        }
    }

    private void moveAfter(Item item, Item previous) {
        moveAfter(item, previous, 0);
    }

    /** Moves the item right after its predecessor, and the turns placed after it along with it. */
    private void moveAfter(Item item, Item previous, int depth) {
        order.remove(item);
        ListIterator<Item> it = order.listIterator();
        boolean placed = false;
        while (it.hasNext()) {
            if (it.next() == previous) {
                it.add(item);
                placed = true;
                break;
            }
        }
        if (!placed) {
            order.addLast(item);
        }
        moveFollowers(item, depth);
    }

    private void moveFollowers(Item item, int depth) {
        if (depth > 64) {
            return; // a chain this long cannot be a real conversation moving at once; stop rather than recurse on
        }
        String id = item.key.value();
        for (Item follower : List.copyOf(order)) {
            if (follower != item && id.equals(follower.previousId) && follower.awaiting == null) {
                moveAfter(follower, item, depth + 1);
            }
        }
    }

    private List<TranscriptEntry> releaseReady() {
        adoptUnmatched(false);
        List<TranscriptEntry> out = new ArrayList<>();
        while (!order.isEmpty() && order.getFirst().isFinished() && !order.getFirst().waitsFor(latest,
                predecessorPatience) && !awaitsCorroboration(order.getFirst())) {
            Item item = order.removeFirst();
            open.remove(item.key.value());
            out.add(release(item, null));
        }
        return out;
    }

    /**
     * A browser's final text waits for the sideband (while the sideband is the authority) for at most the patience:
     * the sideband's own final may replace it, or mark the turn truncated.
     */
    private boolean awaitsCorroboration(Item item) {
        return sidebandSeen && item.failure == null && item.finalSource == TranscriptSource.CLIENT
                && item.clientFinalAt != null && !latest.isAfter(item.clientFinalAt.plus(predecessorPatience));
    }

    private TranscriptEntry release(Item item, String unfinishedReason) {
        released.add(item.key);
        long position = nextPosition++;
        if (unfinishedReason != null) {
            return new TranscriptEntry(session, item.key, item.speaker, item.bestPartialText(), item.firstSeen,
                    position, item.partialSource(), EntryStatus.FAILED, null, unfinishedReason);
        }
        if (item.failure != null) {
            return new TranscriptEntry(session, item.key, item.speaker, item.bestPartialText(), item.firstSeen,
                    position, item.finalSource, EntryStatus.FAILED, null, item.failure);
        }
        if (item.truncatedAtMs != null) {
            return new TranscriptEntry(session, item.key, item.speaker, item.finalText, item.firstSeen, position,
                    item.finalSource, EntryStatus.TRUNCATED, Duration.ofMillis(item.truncatedAtMs), null);
        }
        return new TranscriptEntry(session, item.key, item.speaker, item.finalText, item.firstSeen, position,
                item.finalSource, EntryStatus.COMPLETE, null, null);
    }

    /** One conversation item on its way to becoming an entry. */
    private static final class Item {
        final IdempotencyKey key;
        final Speaker speaker;
        final Map<TranscriptSource, StringBuilder> deltas = new EnumMap<>(TranscriptSource.class);
        Instant firstSeen;
        boolean placed;
        String finalText;
        TranscriptSource finalSource;
        String awaiting;
        Instant awaitingSince;
        String previousId;
        Instant clientFinalAt;
        String failure;
        Long truncatedAtMs;

        Item(IdempotencyKey key, Speaker speaker, Instant firstSeen) {
            this.key = key;
            this.speaker = speaker;
            this.firstSeen = firstSeen;
        }

        StringBuilder delta(String text, TranscriptSource source) {
            StringBuilder builder = deltas.computeIfAbsent(source, s -> new StringBuilder());
            if (text != null) {
                int room = TranscriptEntry.MAX_TEXT_LENGTH - builder.length();
                builder.append(text, 0, Math.max(0, Math.min(room, text.length())));
            }
            return builder;
        }

        /**
         * The first final transcript wins, except that the sideband's replaces the browser's: the sideband is the
         * authority. Later copies (a repeat) change nothing. Returns whether the sideband's final was just set.
         */
        boolean complete(String text, TranscriptSource source) {
            if (finalText == null || source == TranscriptSource.SIDEBAND && finalSource != TranscriptSource.SIDEBAND) {
                finalText = text.length() > TranscriptEntry.MAX_TEXT_LENGTH
                        ? text.substring(0, TranscriptEntry.MAX_TEXT_LENGTH) : text;
                finalSource = source;
                failure = null;
                return source == TranscriptSource.SIDEBAND;
            }
            return false;
        }

        void fail(String reason, TranscriptSource source) {
            if (finalText == null && failure == null) {
                failure = FailureReason.cut(reason);
                finalSource = source;
            }
        }

        void truncate(long audioEndMs) {
            truncatedAtMs = audioEndMs;
        }

        boolean isFinished() {
            return finalText != null || failure != null;
        }

        /** Whether it still waits for an unseen predecessor at {@code now}. */
        boolean waitsFor(Instant now, Duration patience) {
            return awaiting != null && !now.isAfter(awaitingSince.plus(patience));
        }

        String bestPartialText() {
            String best = "";
            for (StringBuilder builder : deltas.values()) {
                if (builder.length() > best.length()) {
                    best = builder.toString();
                }
            }
            return best;
        }

        TranscriptSource partialSource() {
            TranscriptSource best = TranscriptSource.SIDEBAND;
            int length = -1;
            for (Map.Entry<TranscriptSource, StringBuilder> entry : deltas.entrySet()) {
                if (entry.getValue().length() > length) {
                    length = entry.getValue().length();
                    best = entry.getKey();
                }
            }
            return best;
        }

        String unfinishedReason() {
            return deltas.isEmpty() ? "the call ended before this turn was transcribed"
                    : "the call ended before the final transcript; text assembled from partial results";
        }
    }
}
