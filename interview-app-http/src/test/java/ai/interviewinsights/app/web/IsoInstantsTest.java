package ai.interviewinsights.app.web;

import ai.interviewinsights.app.runner.protocol.ClientMessage;
import ai.interviewinsights.app.runner.protocol.RunnerProtocol;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.interviewinsights.domain.model.DomainException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The runner's timestamp reader (decision 26) against {@link Instant#parse}: the same instant for every text it
 * accepts, the same {@link DateTimeParseException} for every text it refuses, and the entry's stable
 * {@code invalid.timestamp} for bad input on the wire.
 */
class IsoInstantsTest {

    private static void same(String text) {
        Instant expected;
        try {
            expected = Instant.parse(text);
        } catch (DateTimeParseException e) {
            DateTimeParseException ours = assertThrows(DateTimeParseException.class, () -> IsoInstants.parse(text),
                    text);
            assertEquals(e.getMessage(), ours.getMessage(), text);
            return;
        }
        assertEquals(expected, IsoInstants.parse(text), text);
    }

    @Test
    void the_browsers_shape_is_read_by_hand_to_the_same_instant() {
        for (String text : List.of("2026-11-29T00:59:00Z", "2026-11-29T00:59:00.123Z", "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.9Z",
                "2024-02-29T12:00:00.5Z", "2000-02-29T00:00:00.000001Z", "1600-03-01T00:00:00Z")) {
            assertNotNull(IsoInstants.fast(text), text + " takes the fast path");
            same(text);
        }
    }

    @Test
    void thousands_of_random_dates_and_fractions_match_instant_parse() {
        SplittableRandom random = new SplittableRandom(26);
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L),
                    random.nextInt(1_000_000_000));
            String full = at.toString();
            same(full);
            // Every fraction length 0-9 of the same second.
            String seconds = full.substring(0, 19);
            String nanos = String.format("%09d", at.getNano());
            for (int digits = 1; digits <= 9; digits++) {
                same(seconds + "." + nanos.substring(0, digits) + "Z");
            }
        }
    }

    @Test
    void everything_else_goes_to_instant_parse_with_its_own_answer() {
        // Its own answer includes accepting a bare decimal point ("00.Z") and an offset.
        for (String text : List.of("2026-11-29T00:59:00+01:00", "2026-11-29t00:59:00z", "2026-11-29T23:59:60Z",
                "2026-11-29T24:00:00Z", "2026-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2026-04-31T00:00:00Z",
                "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-11-00T00:00:00Z", "2026-11-29T00:60:00Z",
                "+12026-11-29T00:59:00Z", "-0001-11-29T00:59:00Z", "2026-11-29T00:59:00.Z",
                "2026-11-29T00:59:00.1234567890Z", "2026-11-29T00:59Z", "2026-11-29 00:59:00Z", "2026-1l-29T00:59:00Z",
                "2026-11-29T00:59:00.12a4Z", "2026-11-29T00:59:00,5Z", "yesterday", "", "2026-11-29T00:59:00",
                "２０２６-11-29T00:59:00Z", "2026-11-29T00:59:00.1234567Zx")) {
            same(text);
        }
        assertNull(IsoInstants.fast("2026-11-29T23:59:60Z"), "a leap second is the general parser's");
        assertNull(IsoInstants.fast("2026-11-29T00:59:00+01:00"), "an offset is the general parser's");
    }

    @Test
    void a_bad_timestamp_on_the_wire_is_still_invalid_timestamp() throws Exception {
        RunnerProtocol protocol = new RunnerProtocol();
        for (String bad : List.of("2026-02-30T00:00:00Z", "2026-11-29T25:00:00Z", "2026-11-29T00:59:00,5Z", "x")) {
            ClientMessage.TranscriptUpdate update = (ClientMessage.TranscriptUpdate) protocol.decode(
                    "{\"type\":\"transcript_update\",\"entries\":[{\"text\":\"a\",\"speaker\":\"ai\",\"timestamp\":\""
                            + bad + "\"}]}");
            DomainException e = assertThrows(DomainException.class, () -> update.clientEntries(Instant.EPOCH), bad);
            assertEquals("invalid.timestamp", e.code(), bad);
        }
    }
}
