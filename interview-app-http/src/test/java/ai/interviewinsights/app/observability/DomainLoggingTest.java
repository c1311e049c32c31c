package ai.interviewinsights.app.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The domain is JDK-only and logs through {@link System.Logger}. In the app those lines go to SLF4J and logback
 * (slf4j-jdk-platform-logging), so they come out like every other line: JSON by default, with the MDC's ids, masked
 * - not in java.util.logging's two-line plain format, unmasked, beside the JSON. (What logback then writes, and its
 * masking, is {@link LogConfigurationTest}'s.)
 */
class DomainLoggingTest {

    private static final String NAME = "ai.interviewinsights.domain.runner.InterviewRunner";

    @Test
    void a_domain_line_reaches_logback_at_its_level_with_its_message_formatted() {
        Logger target = (Logger) LoggerFactory.getLogger(NAME);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.setContext(target.getLoggerContext());
        seen.start();
        target.addAppender(seen);
        try {
            System.Logger domain = System.getLogger(NAME);
            domain.log(System.Logger.Level.WARNING, "session {0}: transcript not recorded yet, will retry: {1}", "s-1",
                    "control_plane.unreachable");
            domain.log(System.Logger.Level.DEBUG, "below the app's level: not written");
            assertEquals(1, seen.list.size(), "one line, at the app's levels: " + seen.list);
            ILoggingEvent event = seen.list.get(0);
            assertEquals(Level.WARN, event.getLevel());
            assertEquals(NAME, event.getLoggerName());
            assertEquals("session s-1: transcript not recorded yet, will retry: control_plane.unreachable",
                    event.getFormattedMessage());
        } finally {
            target.detachAppender(seen);
        }
    }
}
