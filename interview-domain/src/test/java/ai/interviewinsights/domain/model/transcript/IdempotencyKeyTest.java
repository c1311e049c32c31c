package ai.interviewinsights.domain.model.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.interviewinsights.domain.model.DomainException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A key's shape is checked by a loop since decision 26; it accepts exactly what the regular expression of before
 * accepted, and refuses the rest with the same stable code.
 */
class IdempotencyKeyTest {

    private static final Pattern BEFORE = Pattern.compile("[A-Za-z0-9_:.\\-]{1,128}");

    @Test
    void the_loop_accepts_exactly_what_the_regular_expression_did() {
        for (String value : List.of("a", "item_1", "client:0123abcd", "x.y-z:w_", "A".repeat(128), "A".repeat(129),
                "", " ", "a b", "a/b", "é", "a\n", "\u0000", "ü".repeat(3), "-", ":", ".")) {
            assertEquals(BEFORE.matcher(value).matches(), IdempotencyKey.wellFormed(value), value);
        }
        // Mostly the allowed alphabet, so that both answers occur often, at every length around the limit.
        String allowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_:.-";
        SplittableRandom random = new SplittableRandom(26);
        for (int i = 0; i < 50_000; i++) {
            char[] chars = new char[random.nextInt(0, 131)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = random.nextInt(200) == 0 ? (char) random.nextInt(0, 0x3000)
                        : allowed.charAt(random.nextInt(allowed.length()));
            }
            String value = new String(chars);
            assertEquals(BEFORE.matcher(value).matches(), IdempotencyKey.wellFormed(value), value);
        }
    }

    @Test
    void a_malformed_key_is_invalid_idempotency_key() {
        for (String value : new String[] {null, "", "a b", "A".repeat(129), "ключ"}) {
            DomainException e = assertThrows(DomainException.class, () -> IdempotencyKey.of(value));
            assertEquals("invalid.idempotency_key", e.code());
        }
        assertEquals("item_1", IdempotencyKey.of("item_1").value());
    }
}
