package ai.interviewinsights.adapters.openai.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a new socket is told the conversation said, after OpenAI's socket dropped (ADR 0023). */
class ConversationSoFarTest {

    private static final Instant AT = Instant.parse("2026-11-29T10:00:00Z");
    private static final String QUESTION = "Tell me about the hardest bug you fixed last year and how you found it.";

    private final ConversationSoFar conversation = new ConversationSoFar();

    private void say(String itemId, Speaker speaker, String text) {
        conversation.accept(new RealtimeEvent.ItemAdded(itemId, null, speaker, null, TranscriptSource.SIDEBAND, AT));
        if (speaker == Speaker.AI) {
            conversation.accept(new RealtimeEvent.OutputTranscriptDone(itemId, text, TranscriptSource.SIDEBAND, AT));
        } else {
            conversation.accept(new RealtimeEvent.InputTranscriptionCompleted(itemId, text, TranscriptSource.SIDEBAND,
                    AT));
        }
    }

    private List<String> seededTexts() {
        return conversation.seed(new ObjectMapper()).stream()
                .map((ObjectNode e) -> e.path("item").path("content").path(0).path("text").asText()).toList();
    }

    @Test
    void a_reply_whose_text_had_all_arrived_but_was_cut_is_seeded_with_the_words_the_candidate_heard() {
        say("item_a1", Speaker.AI, "Hello Ada.");
        say("item_u1", Speaker.CANDIDATE, "Hi.");
        say("item_a2", Speaker.AI, QUESTION);
        // The socket drops 4 s into the 10 s reply, all of whose audio had arrived.
        conversation.closeOut(Optional.of(new Playout.Cut("item_a2", 4_000, 10_000)), AT);

        List<String> seeded = seededTexts();
        assertEquals(List.of("Hello Ada.", "Hi."), seeded.subList(0, 2), "the turns heard in full, whole");
        String heard = seeded.get(2);
        assertTrue(QUESTION.startsWith(heard), "a leading part of the reply: " + heard);
        assertTrue(heard.length() <= QUESTION.length() * 0.4, "no more than the share heard: " + heard);
        assertTrue(heard.length() >= QUESTION.length() * 0.3, "about the share heard: " + heard);
        assertTrue(QUESTION.charAt(heard.length()) == ' ', "ends at a word boundary: " + heard);
    }

    @Test
    void a_reply_the_candidate_heard_none_of_is_not_seeded_and_one_heard_in_full_is_seeded_whole() {
        say("item_a1", Speaker.AI, QUESTION);
        conversation.closeOut(Optional.of(new Playout.Cut("item_a1", 0, 3_000)), AT);
        assertEquals(List.of(), seededTexts(), "queued but never played: the model is not told it said it");

        ConversationSoFar other = new ConversationSoFar();
        other.accept(new RealtimeEvent.ItemAdded("item_b1", null, Speaker.AI, null, TranscriptSource.SIDEBAND, AT));
        other.accept(new RealtimeEvent.OutputTranscriptDone("item_b1", QUESTION, TranscriptSource.SIDEBAND, AT));
        other.closeOut(Optional.of(new Playout.Cut("item_b1", 9_000, 9_000)), AT);
        assertEquals(QUESTION, other.seed(new ObjectMapper()).get(0).path("item").path("content").path(0)
                .path("text").asText());
    }

    @Test
    void the_words_heard_end_before_the_word_being_said() {
        assertEquals("Tell me", ConversationSoFar.heardWords("Tell me about it", 0.5));
        assertEquals("Tell me about", ConversationSoFar.heardWords("Tell me about it", 0.82));
        assertEquals("", ConversationSoFar.heardWords("Tell me about it", 0.1));
        assertEquals("Tell me about it", ConversationSoFar.heardWords("Tell me about it", 1.0));
    }
}
