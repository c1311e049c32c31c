package ai.interviewinsights.domain.model.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.testing.Fixtures;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/**
 * Hostile input: mutated fixtures and random text. Only the typed rejection may ever come out, parsing never hangs,
 * and whatever is accepted still round-trips byte for byte.
 */
class SdpFuzzTest {

    private static final List<String> FIXTURES = List.of(Fixtures.resource("sdp/chrome-offer.sdp"),
            Fixtures.resource("sdp/firefox-offer.sdp"), Fixtures.resource("sdp/safari-offer.sdp"),
            Fixtures.resource("sdp/chromium-156-captured-offer.sdp"));
    private static final String ANSWER = Fixtures.resource("sdp/openai-answer.sdp");

    /** Runs the validation and accepts exactly two outcomes: a valid offer, or an SdpRejectedException. */
    private static void onlyTypedRejection(Supplier<Object> validation, String input) {
        try {
            Object result = validation.get();
            if (result instanceof SdpOffer offer) {
                assertEquals(input, offer.text(), "an accepted offer must round-trip");
                assertEquals(input, SdpRoundTripTest.fromLines(offer.description()), "and its lines make it");
            } else if (result instanceof SdpAnswer answer) {
                assertEquals(input, answer.text(), "an accepted answer must round-trip");
                assertEquals(input, SdpRoundTripTest.fromLines(answer.description()), "and its lines make it");
            }
        } catch (SdpRejectedException expected) {
            assertTrue(expected.violation().line() >= 1);
        }
    }

    @Property(tries = 1500)
    void mutated_fixtures_yield_a_valid_offer_or_a_typed_rejection(@ForAll("mutatedOffers") String input) {
        onlyTypedRejection(() -> SdpOffer.validate(input), input);
        SdpOffer chrome = SdpOffer.validate(FIXTURES.get(0));
        onlyTypedRejection(() -> SdpAnswer.validate(input, chrome), input);
    }

    @Property(tries = 1000)
    void random_text_yields_only_a_typed_rejection(@ForAll @StringLength(max = 3000) String input) {
        onlyTypedRejection(() -> SdpOffer.validate(input), input);
    }

    @Property(tries = 500)
    void random_lines_of_sdp_shape_yield_only_a_typed_rejection(@ForAll("sdpShapedText") String input) {
        onlyTypedRejection(() -> SdpOffer.validate(input), input);
        onlyTypedRejection(() -> SdpAnswer.validate(input, SdpOffer.validate(FIXTURES.get(1))), input);
    }

    @Provide
    Arbitrary<String> mutatedOffers() {
        Arbitrary<String> base = Arbitraries.of(FIXTURES);
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 1999);
        Arbitrary<String> insert = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(8),
                Arbitraries.of("\r", "\n", "\r\n", "\u0000", "=", ":", " ", "a=setup:active\r\n", "m=audio 0 X 1\r\n",
                        "a=group:BUNDLE 9\r\n", "\uD83D\uDE00", "\uD800"));
        Arbitrary<Integer> deleteLength = Arbitraries.integers().between(0, 40);
        return Combinators.combine(base, position, insert, deleteLength).as((text, at, extra, delete) -> {
            int start = Math.min(at, text.length());
            int end = Math.min(text.length(), start + delete);
            return text.substring(0, start) + extra + text.substring(end);
        });
    }

    @Provide
    Arbitrary<String> sdpShapedText() {
        Arbitrary<String> line = Combinators.combine(Arbitraries.chars().range('a', 'z'),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(60))
                .as((type, value) -> type + "=" + value);
        return line.list().ofMaxSize(40).map(lines -> "v=0\r\n" + String.join("\r\n", lines) + "\r\n");
    }

    @Test
    void a_one_mebibyte_junk_body_is_rejected_without_being_read_whole() {
        char[] junk = new char[1024 * 1024];
        Arrays.fill(junk, 'x');
        CountingText text = new CountingText(new String(junk));
        SdpRejectedException e = assertThrows(SdpRejectedException.class, () -> SdpOffer.validate(text));
        assertEquals("size_limit", e.violation().rule());
        assertTrue(text.highestIndexRead() <= SdpLimits.DEFAULT_MAX_BYTES,
                "read up to index " + text.highestIndexRead() + " of " + junk.length);
    }

    @Test
    void pathological_input_never_hangs() {
        String manyColons = "v=0\r\no=- 1 1 IN IP4 0\r\ns=-\r\nt=0 0\r\na=" + ":".repeat(60_000) + "\r\n";
        String manyLines = "v=0\r\n" + "a=x\r\n".repeat(12_000);
        String longFingerprint = FIXTURES.get(0).replaceFirst("sha-256 4E:1A", "sha-256 " + "4E:".repeat(15_000)
                + "1A");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (String input : List.of(manyColons, manyLines, longFingerprint)) {
                assertThrows(SdpRejectedException.class, () -> SdpOffer.validate(input));
            }
        });
    }

    @Test
    void the_answer_fixture_fuzzed_against_each_offer_yields_only_typed_outcomes() {
        for (String offerText : FIXTURES) {
            SdpOffer offer = SdpOffer.validate(offerText);
            for (int i = 0; i < ANSWER.length(); i += 7) {
                String mutated = ANSWER.substring(0, i) + ANSWER.substring(Math.min(ANSWER.length(), i + 5));
                try {
                    SdpAnswer.validate(mutated, offer);
                } catch (SdpRejectedException expected) {
                    assertTrue(expected.violation().line() >= 1);
                }
            }
        }
    }

    /** A CharSequence that records how far the parser read into it. */
    private static final class CountingText implements CharSequence {
        private final String text;
        private int highest = -1;

        CountingText(String text) {
            this.text = text;
        }

        int highestIndexRead() {
            return highest;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            highest = Math.max(highest, index);
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            highest = Math.max(highest, end - 1);
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            highest = text.length() - 1;
            return text;
        }
    }
}
