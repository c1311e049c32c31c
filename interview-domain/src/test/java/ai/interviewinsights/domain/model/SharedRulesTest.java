package ai.interviewinsights.domain.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.interviewinsights.domain.model.transcript.TranscriptBatch;
import org.junit.jupiter.api.Test;

/** The failure-reason and batch rules, each written once (decision 0005). */
class SharedRulesTest {

    @Test
    void a_reason_from_outside_is_stripped_and_cut_to_the_limit() {
        assertEquals("x".repeat(FailureReason.MAX_LENGTH), FailureReason.cut("  " + "x".repeat(900) + "  "));
        assertEquals("short", FailureReason.cut(" short\n"));
        assertNull(FailureReason.cut(null));
    }

    @Test
    void a_cut_never_splits_a_surrogate_pair() {
        String reason = "x".repeat(FailureReason.MAX_LENGTH - 1) + "\uD83D\uDE00" + "tail";

        String cut = FailureReason.cut(reason);

        assertEquals(FailureReason.MAX_LENGTH - 1, cut.length());
        assertEquals("x".repeat(FailureReason.MAX_LENGTH - 1), cut);
    }

    @Test
    void a_reason_we_write_is_checked_not_cut() {
        assertEquals("runner exited", FailureReason.require(" runner exited "));
        assertEquals("invalid.failure_reason", assertThrows(DomainException.class,
                () -> FailureReason.require("x".repeat(FailureReason.MAX_LENGTH + 1))).code());
        assertEquals("invalid.failure_reason", assertThrows(DomainException.class,
                () -> FailureReason.require(" ")).code());
    }

    @Test
    void a_batch_holds_at_most_the_limit() {
        assertDoesNotThrow(() -> TranscriptBatch.requireWithinLimit(TranscriptBatch.MAX_ENTRIES));
        DomainException e = assertThrows(DomainException.class,
                () -> TranscriptBatch.requireWithinLimit(TranscriptBatch.MAX_ENTRIES + 1));
        assertEquals("invalid.batch", e.code());
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
    }
}
