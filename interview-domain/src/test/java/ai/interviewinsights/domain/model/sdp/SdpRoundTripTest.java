package ai.interviewinsights.domain.model.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.interviewinsights.domain.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What we relay must be exactly what the browser sent: every fixture round-trips byte for byte. */
class SdpRoundTripTest {

    /** The text the parsed lines and their terminators make: serialise() keeps the text, the lines must make it too. */
    static String fromLines(SessionDescription sdp) {
        StringBuilder out = new StringBuilder();
        sdp.lines().forEach(l -> out.append(l.type()).append('=').append(l.value()).append(l.terminator()));
        return out.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"chrome-offer.sdp", "firefox-offer.sdp", "firefox-max-bundle-offer.sdp", "safari-offer.sdp",
            "chromium-156-captured-offer.sdp", "openai-answer.sdp"})
    void every_fixture_round_trips_byte_identical(String fixture) {
        String text = Fixtures.resource("sdp/" + fixture);
        SessionDescription parsed = SessionDescription.parse(text, SdpLimits.defaults());
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), parsed.serialise().getBytes(StandardCharsets.UTF_8));
        assertEquals(text, fromLines(parsed));
    }

    @ParameterizedTest
    @ValueSource(strings = {"chrome-offer.sdp", "firefox-offer.sdp", "firefox-max-bundle-offer.sdp", "safari-offer.sdp",
            "chromium-156-captured-offer.sdp"})
    void every_browser_offer_is_a_valid_offer_and_its_text_is_unchanged(String fixture) {
        String text = Fixtures.resource("sdp/" + fixture);
        SdpOffer offer = SdpOffer.validate(text);
        assertEquals(text, offer.text());
        assertEquals(2, offer.description().mediaSections().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"chrome-offer.sdp", "firefox-offer.sdp", "firefox-max-bundle-offer.sdp", "safari-offer.sdp",
            "chromium-156-captured-offer.sdp"})
    void openai_answer_is_valid_for_every_browser_offer(String fixture) {
        SdpOffer offer = SdpOffer.validate(Fixtures.resource("sdp/" + fixture));
        String answer = Fixtures.resource("sdp/openai-answer.sdp");
        assertEquals(answer, SdpAnswer.validate(answer, offer).text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n"})
    void line_endings_and_a_missing_final_terminator_are_preserved(String eol) {
        String crlf = Fixtures.resource("sdp/chrome-offer.sdp");
        String text = crlf.replace("\r\n", eol);
        String withoutLast = text.substring(0, text.length() - eol.length());
        assertEquals(text, SdpOffer.validate(text).text());
        assertEquals(text, fromLines(SdpOffer.validate(text).description()));
        assertEquals(withoutLast, SdpOffer.validate(withoutLast).text());
        assertEquals(withoutLast, fromLines(SdpOffer.validate(withoutLast).description()));
        String mixed = crlf.replaceFirst("\r\n", "\n");
        assertEquals(mixed, SessionDescription.parse(mixed, SdpLimits.defaults()).serialise());
        assertEquals(mixed, fromLines(SessionDescription.parse(mixed, SdpLimits.defaults())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"chrome-offer.sdp", "safari-offer.sdp"})
    void sections_expose_what_the_relay_needs(String fixture) {
        SessionDescription sdp = SdpOffer.validate(Fixtures.resource("sdp/" + fixture)).description();
        MediaSection audio = sdp.mediaSections().get(0);
        MediaSection data = sdp.mediaSections().get(1);
        assertEquals("audio", audio.media());
        assertEquals("UDP/TLS/RTP/SAVPF", audio.protocol());
        assertEquals("0", audio.mid().orElseThrow());
        assertEquals(true, data.isDataChannel());
        assertEquals(java.util.List.of("0", "1"), sdp.bundleGroup().orElseThrow());
        assertEquals("actpass", sdp.effectiveAttribute(audio, "setup").orElseThrow());
    }
}
