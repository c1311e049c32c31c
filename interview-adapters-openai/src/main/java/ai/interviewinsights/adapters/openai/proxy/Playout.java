package ai.interviewinsights.adapters.openai.proxy;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The interviewer's voice on its way to the browser: a jitter buffer in front of a real-time clock. OpenAI sends audio
 * faster than real time and in bursts; the bridge's ticker asks for one 10 ms frame at a time, on a fixed-rate
 * schedule, so that what has been handed out is exactly what the candidate has heard. That count is what a barge-in
 * truncates the assistant's item to.
 *
 * <p>Playback starts once {@code prebuffer} samples are queued, or the response's audio is complete, or the buffer has
 * waited as long as it holds (so a short reply is not held back); when the queue runs dry before the item is complete
 * (the network lagged) the ticker gets silence and the buffer fills again. Silence between turns keeps the track's
 * clock running like a microphone's.
 *
 * <p>Thread-safe: the WebSocket's reader enqueues and interrupts, the ticker takes frames.
 */
final class Playout {

    /** One item's audio chunk, 48 kHz mono. */
    private record Segment(String itemId, short[] samples, long arrivedNanos, boolean first) {
    }

    /**
     * A barge-in's result: the item cut, how much of it the candidate heard, and how much of its audio had arrived
     * from OpenAI by then (all of it when the item's audio was complete).
     */
    record Cut(String itemId, long audioEndMs, long receivedMs) {

        /** The share of the item's audio that arrived that the candidate heard, 0 to 1. */
        double heardShare() {
            return receivedMs <= 0 ? 0 : Math.min(1.0, audioEndMs / (double) receivedMs);
        }
    }

    /**
     * One frame for the track; when an item's first chunk started playing in it, how long that chunk waited in the
     * bridge (else -1).
     */
    record Frame(short[] samples, boolean voiced, long itemStartWaitNanos) {
    }

    private final int frameSamples;
    private final int prebufferSamples;
    private final int maxWaitTicks;
    private final ArrayDeque<Segment> queue = new ArrayDeque<>();
    private final Set<String> silenced = new HashSet<>();
    private final Set<String> complete = new HashSet<>();
    private int offset;
    private int queued;
    private boolean playing;
    private int waitedTicks;
    private String current;
    private long currentPlayed;
    /** Audio received per item not yet played out or cut (24 kHz samples), to bound a truncation. */
    private final Map<String, Long> received24k = new HashMap<>();
    private long gaps;

    /**
     * @param frameSamples  samples per tick (480: 10 ms at 48 kHz)
     * @param prebufferMs   how much audio the buffer holds before it starts to play
     */
    Playout(int frameSamples, int prebufferMs) {
        if (frameSamples <= 0 || prebufferMs < 0) {
            throw new IllegalArgumentException("frameSamples > 0, prebufferMs >= 0");
        }
        this.frameSamples = frameSamples;
        this.prebufferSamples = prebufferMs * 48;
        this.maxWaitTicks = Math.max(1, prebufferMs / 10);
    }

    /**
     * Queues a chunk of an assistant item's audio.
     *
     * @param samples48k  the chunk at 48 kHz
     * @param receivedSamples24k how many samples OpenAI sent for it (24 kHz): the truncation never goes beyond what arrived
     * @return false when the item was cut by a barge-in and its late audio is dropped
     */
    synchronized boolean enqueue(String itemId, short[] samples48k, int receivedSamples24k, long arrivedNanos) {
        if (silenced.contains(itemId)) {
            return false;
        }
        boolean first = !received24k.containsKey(itemId) && !itemId.equals(current);
        received24k.merge(itemId, (long) receivedSamples24k, Long::sum);
        if (samples48k.length > 0) {
            queue.addLast(new Segment(itemId, samples48k, arrivedNanos, first));
            queued += samples48k.length;
        }
        return true;
    }

    /** The item's audio is all here ({@code response.output_audio.done}): play it out even below the prebuffer. */
    synchronized void complete(String itemId) {
        complete.add(itemId);
    }

    /** The next 10 ms for the track: audio when there is some to play, silence otherwise. */
    synchronized Frame next(long nowNanos) {
        short[] frame = new short[frameSamples];
        if (!playing) {
            if (queued == 0) {
                waitedTicks = 0;
                return new Frame(frame, false, -1);
            }
            waitedTicks++;
            boolean allComplete = queue.stream().allMatch(s -> complete.contains(s.itemId()));
            if (queued < prebufferSamples && !allComplete && waitedTicks < maxWaitTicks) {
                return new Frame(frame, false, -1);
            }
            playing = true;
        }
        int filled = 0;
        long waited = -1;
        while (filled < frameSamples && !queue.isEmpty()) {
            Segment head = queue.peekFirst();
            if (!head.itemId().equals(current)) {
                startItem(head.itemId());
            }
            if (offset == 0 && head.first() && waited < 0) {
                waited = nowNanos - head.arrivedNanos();
            }
            int n = Math.min(frameSamples - filled, head.samples().length - offset);
            System.arraycopy(head.samples(), offset, frame, filled, n);
            filled += n;
            offset += n;
            queued -= n;
            currentPlayed += n;
            if (offset == head.samples().length) {
                queue.pollFirst();
                offset = 0;
            }
        }
        if (queue.isEmpty()) {
            if (current != null && !complete.contains(current)) {
                // Ran dry in the middle of an item: the network is behind; buffer again.
                gaps++;
            }
            playing = false;
            waitedTicks = 0;
        }
        return new Frame(frame, filled > 0, waited);
    }

    /**
     * Barge-in: stops at once, drops everything queued, and says how much of the item being heard was played; empty
     * when no item was being heard (all played out, or nothing yet). Late audio of the cut item is dropped.
     */
    synchronized Optional<Cut> interrupt() {
        Optional<Cut> cut = Optional.empty();
        boolean heardInFull = current == null || complete.contains(current) && !hasQueued(current);
        if (!heardInFull) {
            long playedMs = currentPlayed * 1000 / 48_000;
            long receivedMs = received24k.getOrDefault(current, 0L) * 1000 / 24_000;
            cut = Optional.of(new Cut(current, Math.min(playedMs, receivedMs), receivedMs));
            silenced.add(current);
        } else if (!queue.isEmpty()) {
            // A reply that arrived but had not started playing: the candidate heard none of it.
            String first = queue.peekFirst().itemId();
            cut = Optional.of(new Cut(first, 0, received24k.getOrDefault(first, 0L) * 1000 / 24_000));
        }
        for (Segment segment : queue) {
            silenced.add(segment.itemId());
        }
        queue.clear();
        queued = 0;
        offset = 0;
        playing = false;
        waitedTicks = 0;
        current = null;
        currentPlayed = 0;
        received24k.clear();
        return cut;
    }

    /** Samples waiting to be played. */
    synchronized int queuedSamples() {
        return queued;
    }

    /** How often playback ran dry inside an item (a gap the candidate heard). */
    synchronized long gaps() {
        return gaps;
    }

    private void startItem(String itemId) {
        if (current != null) {
            received24k.remove(current);
            complete.remove(current);
        }
        current = itemId;
        currentPlayed = 0;
    }

    private boolean hasQueued(String itemId) {
        for (Segment segment : queue) {
            if (segment.itemId().equals(itemId)) {
                return true;
            }
        }
        return false;
    }
}
