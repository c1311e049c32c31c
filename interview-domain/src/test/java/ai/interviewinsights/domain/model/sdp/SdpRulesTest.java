package ai.interviewinsights.domain.model.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.testing.Fixtures;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rejection names the line and the rule broken. */
class SdpRulesTest {

    private static final String CHROME = Fixtures.resource("sdp/chrome-offer.sdp");
    private static final String FIREFOX = Fixtures.resource("sdp/firefox-offer.sdp");
    private static final String ANSWER = Fixtures.resource("sdp/openai-answer.sdp");

    private static int lineOf(String text, String line) {
        String[] lines = text.split("\r\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].equals(line)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no line " + line);
    }

    static Stream<Arguments> brokenOffers() {
        int audioLine = lineOf(CHROME, "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126");
        int appLine = lineOf(CHROME, "m=application 9 UDP/DTLS/SCTP webrtc-datachannel");
        String audioOnly = CHROME.substring(0, CHROME.indexOf("m=application")).replace("BUNDLE 0 1", "BUNDLE 0");
        final String noAudio0 = CHROME.substring(0, CHROME.indexOf("m=audio"))
                + CHROME.substring(CHROME.indexOf("m=application")).replace("a=mid:1", "a=mid:0")
                .replace("BUNDLE 0 1", "BUNDLE 0");
        String noAudio = noAudio0.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0");
        String twoApps = CHROME + CHROME.substring(CHROME.indexOf("m=application")).replace("a=mid:1", "a=mid:2");
        return Stream.of(
                Arguments.of("empty", "", 1, "empty"),
                Arguments.of("version not first", CHROME.replaceFirst("v=0\r\n", "") , 1, "version_first"),
                Arguments.of("version 1", CHROME.replaceFirst("v=0", "v=1"), 1, "version_first"),
                Arguments.of("origin missing", CHROME.replaceFirst("o=[^\r]*\r\n", ""), 2, "origin_second"),
                Arguments.of("origin short", CHROME.replaceFirst("o=- 4611731400430051336 2", "o=- 46117"), 2,
                        "origin_syntax"),
                Arguments.of("session name empty", CHROME.replaceFirst("s=-", "s="), 3, "session_name_third"),
                Arguments.of("no timing", CHROME.replaceFirst("t=0 0\r\n", ""), 4, "timing_required"),
                Arguments.of("blank line", CHROME.replaceFirst("t=0 0\r\n", "t=0 0\r\n\r\n"), 5, "line_syntax"),
                Arguments.of("upper-case type", CHROME.replaceFirst("s=-", "S=-"), 3, "line_syntax"),
                Arguments.of("NUL in value", CHROME.replaceFirst("s=-", "s=-\u0000x"), 3, "line_syntax"),
                Arguments.of("bare CR", CHROME.replaceFirst("s=-", "s=-\rx"), 3, "line_syntax"),
                // Line ends, NULs and CRs are found by forward searches: a late one, LF-only text, the last line.
                Arguments.of("bare CR late in an LF-only offer", CHROME.replace("\r\n", "\n")
                        .replace("a=mid:1\n", "a=mid:1\rx\n"), lineOf(CHROME, "a=mid:1"), "line_syntax"),
                Arguments.of("NUL on the last line", CHROME.replace("a=max-message-size:262144",
                        "a=max-message-size:26\u00002144"), lineOf(CHROME, "a=max-message-size:262144"),
                        "line_syntax"),
                Arguments.of("bare CR ending the text", CHROME + "a=x\r", lineOf(CHROME, "a=max-message-size:262144")
                        + 1, "line_syntax"),
                Arguments.of("unknown type", CHROME.replaceFirst("t=0 0", "t=0 0\r\nx=1"), 5, "unknown_type"),
                Arguments.of("attribute before timing", CHROME.replaceFirst("t=0 0\r\na=group:BUNDLE 0 1",
                        "a=group:BUNDLE 0 1\r\nt=0 0"), 4, "timing_required"),
                Arguments.of("origin repeated", CHROME.replaceFirst("t=0 0", "o=- 1 1 IN IP4 0.0.0.0\r\nt=0 0"), 4,
                        "unknown_type"),
                Arguments.of("connection twice", CHROME.replaceFirst("t=0 0", "c=IN IP4 0.0.0.0\r\n"
                        + "c=IN IP4 0.0.0.0\r\nt=0 0"), 5, "line_order"),
                Arguments.of("bad media port", CHROME.replace("m=audio 9 ", "m=audio 99999 "), audioLine,
                        "media_syntax"),
                Arguments.of("no audio", noAudio, lineOf(noAudio, "m=application 9 UDP/DTLS/SCTP webrtc-datachannel"),
                        "audio_required"),
                Arguments.of("no data channel", audioOnly, audioLine, "data_channel"),
                Arguments.of("two data channels", twoApps, lineOf(CHROME, "a=max-message-size:262144") + 1,
                        "data_channel"),
                Arguments.of("missing ufrag", CHROME.replaceFirst("a=ice-ufrag:Xv3b\r\n", ""), audioLine,
                        "ice_credentials"),
                Arguments.of("short pwd", CHROME.replace("a=ice-pwd:8Rb1pTnJZ4Fq7mKcW2yLhQdS", "a=ice-pwd:short"),
                        lineOf(CHROME, "a=ice-pwd:8Rb1pTnJZ4Fq7mKcW2yLhQdS"), "ice_credentials"),
                Arguments.of("missing fingerprint", CHROME.replaceFirst("a=fingerprint:[^\r]*\r\n", ""), audioLine,
                        "fingerprint"),
                Arguments.of("garbled fingerprint", CHROME.replaceFirst("a=fingerprint:sha-256 4E:1A",
                        "a=fingerprint:sha-256 ZZ:1A"), lineOf(CHROME,
                        "a=fingerprint:sha-256 4E:1A:9C:3B:7D:22:E0:5F:81:C6:0B:94:AF:3E:52:D7:18:6A:F0:29:BC:47:0D:E3:"
                                + "95:71:2C:8B:5E:A4:F6:13"), "fingerprint"),
                Arguments.of("missing setup", CHROME.replaceFirst("a=setup:actpass\r\n", ""), audioLine, "setup"),
                Arguments.of("duplicate mid", CHROME.replace("a=mid:1", "a=mid:0"), lineOf(CHROME, "a=mid:1"),
                        "mid_unique"),
                Arguments.of("bundle names unknown mid", CHROME.replace("BUNDLE 0 1", "BUNDLE 0 7"), 5, "bundle"),
                Arguments.of("setup missing in firefox data section", FIREFOX.replace(
                        "a=mid:1\r\na=setup:actpass\r\n", "a=mid:1\r\n"), lineOf(FIREFOX,
                        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel"), "setup"),
                Arguments.of("mid missing under bundle", CHROME.replace("a=mid:1\r\n", ""), appLine, "mid_required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenOffers")
    void a_broken_offer_is_rejected_naming_line_and_rule(String name, String text, int line, String rule) {
        SdpRejectedException e = assertThrows(SdpRejectedException.class, () -> SdpOffer.validate(text));
        assertEquals(rule, e.violation().rule(), e.getMessage());
        assertEquals(line, e.violation().line(), e.getMessage());
        assertEquals("sdp." + rule, e.code());
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("line " + line), e.getMessage());
    }

    @Test
    void firefox_session_level_fingerprint_applies_to_every_section() {
        SdpOffer offer = SdpOffer.validate(FIREFOX);
        MediaSection data = offer.description().mediaSections().get(1);
        assertTrue(data.attribute("fingerprint").isEmpty());
        assertTrue(offer.description().effectiveAttribute(data, "fingerprint").isPresent());
    }

    @Test
    void an_offer_over_the_size_limit_is_refused_naming_the_line_where_it_crossed() {
        SdpLimits limits = new SdpLimits(1024);
        SdpRejectedException e = assertThrows(SdpRejectedException.class,
                () -> SdpOffer.validate(CHROME, limits));
        assertEquals("size_limit", e.violation().rule());
        int crossingLine = (int) CHROME.substring(0, 1024).chars().filter(c -> c == '\n').count() + 1;
        assertEquals(crossingLine, e.violation().line());
    }

    @Test
    void an_lf_only_offer_is_accepted_and_keeps_its_line_ends() {
        String lf = CHROME.replace("\r\n", "\n");
        assertEquals(lf, SdpOffer.validate(lf).text());
    }

    @Test
    void an_attribute_is_its_name_up_to_the_first_colon() {
        SdpLine mid = new SdpLine(1, 'a', "mid:0", "\r\n");
        assertTrue(mid.isAttribute("mid"));
        assertFalse(mid.isAttribute("mi"));
        assertFalse(mid.isAttribute("mid:0"), "a name has no colon");
        assertTrue(new SdpLine(1, 'a', "bundle-only", "").isAttribute("bundle-only"));
        assertFalse(new SdpLine(1, 'a', "bundle-onlyx", "").isAttribute("bundle-only"));
        assertFalse(new SdpLine(1, 'b', "mid:0", "").isAttribute("mid"));
        assertTrue(new SdpLine(1, 'a', "x::y", "").isAttribute("x"));
    }

    @Test
    void the_bundle_group_is_its_mids_whatever_the_spaces() {
        String spaced = CHROME.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE  0   1 ");
        assertEquals(Optional.of(List.of("0", "1")), SdpOffer.validate(spaced).description().bundleGroup());
        SessionDescription other = SessionDescription.parse(CHROME.replace("a=group:BUNDLE 0 1",
                "a=group:LS 0 1\r\na=group:BUNDLE 1"), SdpLimits.defaults());
        assertEquals(Optional.of(List.of("1")), other.bundleGroup(), "the first BUNDLE group, not the first group");
        assertEquals("group:BUNDLE 1", other.sessionBundleLine().orElseThrow().value());
        SessionDescription none = SessionDescription.parse(CHROME.replace("a=group:BUNDLE 0 1\r\n", ""),
                SdpLimits.defaults());
        assertEquals(Optional.empty(), none.bundleGroup());
    }

    @Test
    void a_text_of_at_most_a_third_of_the_limit_in_characters_fits_and_one_more_three_byte_character_does_not() {
        // The size check skips texts of at most maxBytes / 3 characters (no character takes more than 3 bytes).
        SdpGrammar.checked("\u20ac".repeat(100), new SdpLimits(300)); // 300 bytes: the limit, read or not
        for (String text : new String[] {"\u20ac".repeat(101), "\u20ac".repeat(100) + "x"}) {
            assertEquals("size_limit", assertThrows(SdpRejectedException.class,
                    () -> SdpGrammar.checked(text, new SdpLimits(300))).violation().rule());
        }
        assertEquals("size_limit", assertThrows(SdpRejectedException.class,
                () -> SdpGrammar.checked("\u20ac".repeat(100), new SdpLimits(299))).violation().rule());
        String pairs = "\uD83D\uDE00".repeat(50); // 100 characters, 200 bytes
        SdpGrammar.checked(pairs, new SdpLimits(300));
        SdpGrammar.checked(pairs, new SdpLimits(200));
        assertEquals("size_limit", assertThrows(SdpRejectedException.class,
                () -> SdpGrammar.checked(pairs, new SdpLimits(199))).violation().rule());
    }

    @Test
    void multi_byte_characters_count_as_their_utf8_size() {
        String text = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=" + "é".repeat(40) + "\r\nt=0 0\r\n";
        assertEquals("size_limit", assertThrows(SdpRejectedException.class,
                () -> SessionDescription.parse(text, new SdpLimits(100))).violation().rule());
        SessionDescription.parse(text, new SdpLimits(120));
    }

    static Stream<Arguments> brokenAnswers() {
        int audioLine = lineOf(ANSWER, "m=audio 9 UDP/TLS/RTP/SAVPF 111 0 8");
        String audioOnly = ANSWER.substring(0, ANSWER.indexOf("m=application")).replace("BUNDLE 0 1", "BUNDLE 0");
        String swapped = ANSWER.substring(0, ANSWER.indexOf("m=audio"))
                + ANSWER.substring(ANSWER.indexOf("m=application")) + ANSWER.substring(ANSWER.indexOf("m=audio"),
                ANSWER.indexOf("m=application"));
        return Stream.of(
                Arguments.of("fewer m-lines", audioOnly, audioLine, "m_line_count"),
                Arguments.of("m-lines out of order", swapped, lineOf(ANSWER, "a=group:BUNDLE 0 1") + 3,
                        "m_line_order"),
                Arguments.of("other mid", ANSWER.replace("a=mid:1", "a=mid:7").replace("BUNDLE 0 1", "BUNDLE 0 7"),
                        lineOf(ANSWER, "a=mid:1"), "mid_mismatch"),
                Arguments.of("answer bundles what offer did not", ANSWER.replace("BUNDLE 0 1", "BUNDLE 0 1 2"),
                        lineOf(ANSWER, "a=group:BUNDLE 0 1"), "bundle"),
                Arguments.of("setup actpass in answer", ANSWER.replace("a=setup:active", "a=setup:actpass"),
                        lineOf(ANSWER, "a=setup:active"), "setup_role"),
                Arguments.of("no setup at all", ANSWER.replace("a=setup:active\r\n", ""), audioLine, "setup"),
                Arguments.of("no ice in answer", ANSWER.replace("a=ice-ufrag:kZ2qkHXX/u11\r\n", ""), audioLine,
                        "ice_credentials"),
                Arguments.of("json instead of sdp", "{\"error\":{\"message\":\"\",\"type\":\"\"}}", 1,
                        "line_syntax"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenAnswers")
    void a_broken_answer_is_rejected_naming_line_and_rule(String name, String text, int line, String rule) {
        SdpOffer offer = SdpOffer.validate(CHROME);
        SdpRejectedException e = assertThrows(SdpRejectedException.class, () -> SdpAnswer.validate(text, offer));
        assertEquals(rule, e.violation().rule(), e.getMessage());
        assertEquals(line, e.violation().line(), e.getMessage());
    }

    @Test
    void an_active_offer_must_be_answered_passive() {
        String activeOffer = CHROME.replace("a=setup:actpass", "a=setup:active");
        SdpOffer offer = SdpOffer.validate(activeOffer);
        assertEquals("setup_role", assertThrows(SdpRejectedException.class,
                () -> SdpAnswer.validate(ANSWER, offer)).violation().rule());
        SdpAnswer.validate(ANSWER.replace("a=setup:active", "a=setup:passive"), offer);
    }

    @Test
    void a_rejected_section_in_the_answer_keeps_its_mid_and_needs_no_transport() {
        String offerText = CHROME.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0");
        SdpOffer offer = SdpOffer.validate(offerText);
        String answer = ANSWER.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0")
                .replace("m=application 9 UDP/DTLS/SCTP", "m=application 0 UDP/DTLS/SCTP");

        SdpAnswer validated = SdpAnswer.validate(answer, offer);

        assertEquals(answer, validated.text(), "an accepted answer is relayed byte for byte");
        MediaSection rejected = validated.description().mediaSections().get(1);
        assertTrue(rejected.isRejected(), "the data channel section is answered with port 0");
        assertEquals(offer.description().mediaSections().get(1).mid(), rejected.mid(), "and keeps the offer's mid");
        assertEquals(Optional.of(List.of("0")), validated.description().bundleGroup(),
                "a rejected section leaves the bundle");
    }
}
