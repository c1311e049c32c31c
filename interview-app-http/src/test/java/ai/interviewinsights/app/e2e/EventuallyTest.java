package ai.interviewinsights.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The end-to-end tests' one way of waiting. */
class EventuallyTest {

    @Test
    void returns_as_soon_as_the_probe_answers() throws Exception {
        AtomicInteger asked = new AtomicInteger();

        String answer = Eventually.value("the third answer", Duration.ofSeconds(10),
                () -> asked.incrementAndGet() < 3 ? Optional.empty() : Optional.of("ready"), () -> "nothing");

        assertEquals("ready", answer);
        assertEquals(3, asked.get());
    }

    @Test
    void fails_after_the_bound_saying_what_was_awaited_and_what_was_seen() {
        AssertionError e = assertThrows(AssertionError.class, () -> Eventually.until("the moon turns blue",
                Duration.ofMillis(60), () -> false, () -> "grey, as ever"));

        assertTrue(e.getMessage().contains("the moon turns blue"), e.getMessage());
        assertTrue(e.getMessage().contains("grey, as ever"), e.getMessage());
    }

    @Test
    void a_probe_that_throws_fails_at_once() {
        IOException refused = new IOException("connection refused");
        AtomicInteger asked = new AtomicInteger();

        IOException e = assertThrows(IOException.class, () -> Eventually.until("an answer", Duration.ofSeconds(10),
                () -> {
                    asked.incrementAndGet();
                    throw refused;
                }, () -> ""));

        assertSame(refused, e);
        assertEquals(1, asked.get());
    }
}
