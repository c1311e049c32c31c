package ai.interviewinsights.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The one scrubbing rule every adapter uses. */
class RedactorTest {

    private static final Secret TOKEN = Secret.of("fm2_abcdefghijklmnop");

    @Test
    void every_known_secret_is_replaced_wherever_it_stands() {
        // even a one-letter "secret" is hidden: safety over readability (real secrets are long)
        Redactor redactor = Redactor.hiding(TOKEN, null).andSecrets(List.of(Secret.of("q")));

        assertEquals("token [redacted] and [redacted]uiet [redacted]",
                redactor.scrub("token fm2_abcdefghijklmnop and quiet fm2_abcdefghijklmnop"));
    }

    @Test
    void a_secret_pasted_with_white_space_is_still_found_without_it() {
        Redactor redactor = Redactor.hiding(Secret.of(" fm2_pasted_token\n"));

        assertEquals("echo: [redacted]!", redactor.scrub("echo: fm2_pasted_token!"));
    }

    @Test
    void vendor_shapes_are_scrubbed_after_the_secrets() {
        Redactor redactor = Redactor.hiding(TOKEN).andShapes(Pattern.compile("\\bsk-[A-Za-z0-9*]{3,}"));

        assertEquals("Incorrect API key provided: [redacted]",
                redactor.scrub("Incorrect API key provided: sk-****abcd"));
    }

    @Test
    void white_space_is_folded_so_quoted_text_cannot_forge_a_log_line() {
        assertEquals("a b c", Redactor.hiding().scrub(" a\n\tb\r\n c "));
    }

    @Test
    void the_result_is_cut_with_an_ellipsis() {
        String long_ = "x".repeat(400);

        assertEquals("x".repeat(Redactor.DEFAULT_MAX_LENGTH) + "...", Redactor.hiding().scrub(long_));
        assertEquals("x".repeat(20) + "...", Redactor.hiding().cutAt(20).scrub(long_));
        assertThrows(DomainException.class, () -> Redactor.hiding().cutAt(3));
    }

    @Test
    void hiding_secrets_alone_keeps_a_body_parseable() {
        String body = "{\n  \"echo\": \"fm2_abcdefghijklmnop\",\n  \"text\": \"" + "y".repeat(400) + "\"\n}";

        String hidden = Redactor.hiding(TOKEN).hideSecrets(body);

        assertEquals(body.replace(TOKEN.reveal(), Redactor.MARK), hidden);
    }

    @Test
    void null_becomes_empty_and_the_redactor_never_shows_its_secrets() {
        Redactor redactor = Redactor.hiding(TOKEN);

        assertEquals("", redactor.scrub(null));
        assertEquals("", redactor.hideSecrets(null));
        assertFalse(redactor.toString().contains(TOKEN.reveal()));
    }
}
