package ai.interviewinsights.adapters.openai.proxy;

import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a proxied call's conversation has said so far, as the bridge saw it on OpenAI's socket: the message items in
 * the order OpenAI added them, each with its final text (or the partial text of one still being spoken or
 * transcribed). It is what a reconnect needs and nothing more:
 *
 * <ul>
 *   <li>{@link #closeOut} finishes the turns the lost socket left open, with the same events the runner's transcript
 *       assembler already understands (an interviewer's turn cut mid-reply becomes TRUNCATED at the audio the
 *       candidate heard, a candidate's turn never transcribed becomes FAILED with its partial text), so no turn of the
 *       old socket stays open for ever and holds back the ones after it; each turn is closed once;</li>
 *   <li>{@link #seed} re-creates the finished turns on a new socket as {@code conversation.item.create} messages
 *       (GA shapes: the candidate's as {@code input_text}, the interviewer's as {@code output_text}), under ids of our
 *       own, so the new socket's echo of them ({@code conversation.item.added/done}) is recognised and never becomes a
 *       second copy of a turn already in the transcript;</li>
 *   <li>{@link #original} maps such an id back to the turn it stands for, so the new socket's first real turn (whose
 *       {@code previous_item_id} is a seeded id) is placed right after the turn it follows.</li>
 * </ul>
 *
 * <p>Not thread-safe: the bridge feeds and reads it on OpenAI's reader thread only (one socket at a time).
 */
final class ConversationSoFar {

    /** Turns re-created on a new socket say so in their id (OpenAI takes client ids; the prefix is ours). */
    static final String SEED_PREFIX = "seed_";
    static final String LOST_BEFORE_TRANSCRIPTION = "the connection to OpenAI was lost before this turn was"
            + " transcribed; text assembled from partial results";

    private static final class Turn {
        final String itemId;
        final Speaker speaker;
        final StringBuilder partial = new StringBuilder();
        String finalText;
        /** What a new socket is told this turn said, when that is less than its text (a reply cut by the drop). */
        String heardText;
        boolean closed;

        Turn(String itemId, Speaker speaker) {
            this.itemId = itemId;
            this.speaker = speaker;
        }

        String text() {
            return finalText != null ? finalText : partial.toString();
        }
    }

    private final Map<String, Turn> turns = new LinkedHashMap<>();
    private final Map<String, String> seeded = new HashMap<>();
    private int seeds;

    /** Takes one of the current socket's events (as mapped for the runner). */
    void accept(RealtimeEvent event) {
        if (event instanceof RealtimeEvent.ItemAdded e) {
            Turn turn = turns.computeIfAbsent(e.itemId(), id -> new Turn(id, e.speaker()));
            if (e.text() != null) {
                turn.finalText = e.text();
            }
        } else if (event instanceof RealtimeEvent.InputTranscriptionDelta e) {
            turn(e.itemId(), Speaker.CANDIDATE).ifPresent(t -> t.partial.append(e.delta()));
        } else if (event instanceof RealtimeEvent.InputTranscriptionCompleted e) {
            turn(e.itemId(), Speaker.CANDIDATE).ifPresent(t -> t.finalText = e.transcript());
        } else if (event instanceof RealtimeEvent.InputTranscriptionFailed e) {
            turn(e.itemId(), Speaker.CANDIDATE).ifPresent(t -> t.closed = true);
        } else if (event instanceof RealtimeEvent.OutputTranscriptDelta e) {
            turn(e.itemId(), Speaker.AI).ifPresent(t -> t.partial.append(e.delta()));
        } else if (event instanceof RealtimeEvent.OutputTranscriptDone e) {
            turn(e.itemId(), Speaker.AI).ifPresent(t -> t.finalText = e.transcript());
        }
    }

    /** A turn known to the conversation, or one the runner will learn of from this very event (no item.added seen). */
    private Optional<Turn> turn(String itemId, Speaker speaker) {
        return Optional.of(turns.computeIfAbsent(itemId, id -> new Turn(id, speaker)));
    }

    /** Whether an interviewer's turn was still being said (no final transcript) when asked. */
    boolean replyInFlight() {
        return turns.values().stream().anyMatch(t -> t.speaker == Speaker.AI && t.finalText == null && !t.closed);
    }

    /** Whether the last turn is the candidate's (transcribed or not): they spoke, and nobody has answered yet. */
    boolean candidateSpokeLast() {
        Turn last = null;
        for (Turn turn : turns.values()) {
            last = turn;
        }
        return last != null && last.speaker == Speaker.CANDIDATE;
    }

    /**
     * Finishes every turn the lost socket left open, once: the runner's events for them, in conversation order. An
     * interviewer's reply still being generated is cut where the candidate stopped hearing it (TRUNCATED, with the
     * words it had reached); a reply fully generated but still playing when the socket went is marked truncated at
     * what was heard, as a barge-in marks it (the runner ignores that for a turn it already stored); a candidate's
     * turn never transcribed is FAILED with its partial text.
     *
     * @param cut the interviewer's turn the playout was cutting and the audio of it the candidate heard, if any
     */
    List<RealtimeEvent> closeOut(Optional<Playout.Cut> cut, Instant at) {
        List<RealtimeEvent> out = new ArrayList<>();
        for (Turn turn : turns.values()) {
            boolean cutHere = cut.isPresent() && cut.get().itemId().equals(turn.itemId);
            if (turn.closed || turn.finalText != null && !(cutHere && turn.speaker == Speaker.AI)) {
                continue;
            }
            turn.closed = true;
            if (turn.speaker == Speaker.AI) {
                long heardMs = cutHere ? cut.get().audioEndMs() : 0L;
                out.add(new RealtimeEvent.ItemTruncated(turn.itemId, heardMs, TranscriptSource.SIDEBAND, at));
                if (turn.finalText == null) {
                    turn.finalText = turn.partial.toString();
                    out.add(new RealtimeEvent.OutputTranscriptDone(turn.itemId, turn.finalText,
                            TranscriptSource.SIDEBAND, at));
                } else if (cutHere) {
                    // The whole text had arrived, but not all of it was heard: the new socket is told the words the
                    // candidate heard, as OpenAI's own truncation drops the text that was not heard.
                    turn.heardText = heardWords(turn.finalText, cut.get().heardShare());
                }
            } else {
                out.add(new RealtimeEvent.InputTranscriptionFailed(turn.itemId, LOST_BEFORE_TRANSCRIPTION,
                        TranscriptSource.SIDEBAND, at));
            }
        }
        return out;
    }

    /**
     * The leading words of {@code text} in proportion to the share of its audio heard, ending at a word boundary:
     * OpenAI gives no word timings, so speech is taken as even. When the reply's audio had not all arrived, the share
     * of what had arrived overstates what was heard of the whole, so this errs towards saying more, never less.
     */
    static String heardWords(String text, double heardShare) {
        if (heardShare >= 1.0) {
            return text;
        }
        int end = (int) Math.floor(text.length() * Math.max(0, heardShare));
        if (end < text.length() && end > 0 && !Character.isWhitespace(text.charAt(end))
                && !Character.isWhitespace(text.charAt(end - 1))) {
            int space = text.lastIndexOf(' ', end);
            end = Math.max(space, 0); // the word being said when it was cut is not counted as heard
        }
        return text.substring(0, end).strip();
    }

    /**
     * The conversation so far as {@code conversation.item.create} events for a new socket: every turn with text, in
     * order (a cut reply with the words it had reached, or those of it that were heard). Each gets an id of ours,
     * remembered for {@link #original}.
     */
    List<ObjectNode> seed(ObjectMapper json) {
        List<ObjectNode> out = new ArrayList<>();
        String round = Integer.toString(++seeds, 36);
        int n = 0;
        for (Turn turn : turns.values()) {
            String text = turn.heardText != null ? turn.heardText : turn.text();
            if (text.isBlank()) {
                continue;
            }
            // Client ids stay short (OpenAI's own are 32 characters or fewer): seed_<round>_<n>.
            String id = SEED_PREFIX + round + "_" + Integer.toString(n++, 36);
            seeded.put(id, turn.itemId);
            ObjectNode create = json.createObjectNode();
            create.put("type", "conversation.item.create");
            ObjectNode item = create.putObject("item");
            item.put("id", id);
            item.put("type", "message");
            boolean candidate = turn.speaker == Speaker.CANDIDATE;
            item.put("role", candidate ? "user" : "assistant");
            item.putArray("content").addObject().put("type", candidate ? "input_text" : "output_text")
                    .put("text", text);
            out.add(create);
        }
        return out;
    }

    /** Whether an item id is one of ours, re-created on a new socket (its events are an echo, not a turn). */
    boolean isSeeded(String itemId) {
        return itemId != null && seeded.containsKey(itemId);
    }

    /** The turn a seeded id stands for; any other id is itself. */
    String original(String itemId) {
        return itemId == null ? null : seeded.getOrDefault(itemId, itemId);
    }

    /** Turns seen so far (tests). */
    int size() {
        return turns.size();
    }
}
