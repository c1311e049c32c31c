package ai.interviewinsights.app.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Logging configured in code writes what {@code logback.xml} and {@code logback-text.xml} wrote (kept here, under
 * {@code logging/*-before.xml}, as the reference the log pipelines were built on): the same bytes for the same
 * events, the same levels, the same masking. A runner no longer reads XML to start (ADR 0024).
 */
class LogConfigurationTest {

    private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
    private static final String OPENAI_KEY = "sk-proj-abcdefghijklmnop0123";
    private static final String EPHEMERAL = "ek_68af0123456789abcdef";
    private static final String FLY_TOKEN = "fm2_lJPECAAAAAAAAMR0xBBABCDEFGHIJKLMNOP";
    private static final String BEARER = "Bearer abcdefghijklmnopqrstuvwxyz0123";

    @Test
    void the_json_lines_are_byte_for_byte_those_the_xml_configuration_wrote() throws Exception {
        assertSameOutput(LogConfiguration.Format.JSON, "logging/logback-json-before.xml", "JSON");
    }

    @Test
    void the_text_lines_are_byte_for_byte_those_the_xml_configuration_wrote() throws Exception {
        assertSameOutput(LogConfiguration.Format.TEXT, "logging/logback-text-before.xml", "TEXT");
    }

    @Test
    void a_json_line_has_the_fields_log_pipelines_read_and_no_credential() throws Exception {
        LoggerContext context = new LoggerContext();
        LogConfiguration.apply(context, LogConfiguration.Format.JSON);
        String line = encode(context, "JSON", events(context).get(1));
        assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one object a line: " + line);
        JsonNode json = new ObjectMapper().readTree(line);
        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        // The fixed fields first, then the exception and the MDC's (in the MDC map's order); no other MDC key.
        assertEquals(List.of("time", "message", "logger_name", "thread_name", "level", "stack_trace"),
                fields.subList(0, 6));
        assertEquals(java.util.Set.of("request_id", "session_id", "tenant_id", "job"),
                java.util.Set.copyOf(fields.subList(6, fields.size())));
        assertEquals("WARN", json.path("level").asText());
        assertEquals("ai.interviewinsights.app.runner.RunnerServer", json.path("logger_name").asText());
        for (String secret : List.of(JWT, OPENAI_KEY, EPHEMERAL, FLY_TOKEN, BEARER)) {
            assertFalse(line.contains(secret), "a credential reached the line: " + secret + " in " + line);
        }
        assertTrue(json.path("message").asText().contains(LogConfiguration.MASK), json.path("message").asText());
        assertTrue(json.path("stack_trace").asText().contains("java.lang.IllegalStateException: upstream said ****"),
                json.path("stack_trace").asText());
    }

    @Test
    void logback_finds_the_configuration_in_code_and_reads_no_xml() {
        List<Class<?>> found = new ArrayList<>();
        ServiceLoader.load(Configurator.class).forEach(c -> found.add(c.getClass()));
        assertEquals(List.of(LogConfiguration.class), found);
        // This test JVM's own logging came from it: the root logger's one appender, the JSON one, and no
        // configuration file was watched or read.
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        ConsoleAppender<ILoggingEvent> console = assertInstanceOf(ConsoleAppender.class, root.getAppender(
                "text".equals(System.getenv("LOG_FORMAT")) ? "TEXT" : "JSON"));
        assertTrue(console.isStarted());
        assertEquals(null, ch.qos.logback.core.joran.util.ConfigurationWatchListUtil.getMainWatchURL(context),
                "no XML configuration was read");
    }

    @Test
    void log_format_chooses_the_format_and_an_operators_own_file_still_wins() {
        assertEquals(LogConfiguration.Format.TEXT, LogConfiguration.Format.of("text"));
        assertEquals(LogConfiguration.Format.JSON, LogConfiguration.Format.of("json"));
        assertEquals(LogConfiguration.Format.JSON, LogConfiguration.Format.of(null));

        LoggerContext context = new LoggerContext();
        LogConfiguration configuration = new LogConfiguration();
        configuration.setContext(context);
        String previous = System.getProperty("logback.configurationFile");
        System.setProperty("logback.configurationFile", "operators-own.xml");
        try {
            assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, configuration.configure(context));
            assertEquals(List.of(), appenderNames(context), "nothing configured: Joran reads the operator's file");
        } finally {
            if (previous == null) {
                System.clearProperty("logback.configurationFile");
            } else {
                System.setProperty("logback.configurationFile", previous);
            }
        }
        assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, configuration.configure(context));
        assertEquals(1, appenderNames(context).size());
    }

    private static void assertSameOutput(LogConfiguration.Format format, String reference, String appender)
            throws Exception {
        LoggerContext before = new LoggerContext();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(before);
        joran.doConfigure(LogConfigurationTest.class.getClassLoader().getResource(reference));
        LoggerContext after = new LoggerContext();
        LogConfiguration.apply(after, format);

        for (String name : List.of(Logger.ROOT_LOGGER_NAME, "org.eclipse.jetty", "org.eclipse.jetty.server.Server",
                "io.javalin", "io.zonky", "org.flywaydb", "com.zaxxer.hikari", "okhttp3", "okhttp3.OkHttpClient",
                "ai.interviewinsights.app.RunnerMode", "com.fasterxml.jackson")) {
            assertEquals(before.getLogger(name).getEffectiveLevel(), after.getLogger(name).getEffectiveLevel(),
                    name);
        }
        assertEquals(List.of(appender), appenderNames(before));
        assertEquals(List.of(appender), appenderNames(after));
        ConsoleAppender<?> was = (ConsoleAppender<?>) before.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(appender);
        ConsoleAppender<?> is = (ConsoleAppender<?>) after.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(appender);
        assertEquals(was.getTarget(), is.getTarget());
        assertEquals(was.getEncoder().getClass(), is.getEncoder().getClass());

        List<ILoggingEvent> events = events(before);
        for (ILoggingEvent event : events) {
            String expected = encode(before, appender, event);
            assertTrue(expected.length() > 10, expected);
            assertEquals(expected, encode(after, appender, event));
        }
    }

    private static List<String> appenderNames(LoggerContext context) {
        List<String> names = new ArrayList<>();
        context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(a -> names.add(a.getName()));
        return names;
    }

    @SuppressWarnings("unchecked")
    private static String encode(LoggerContext context, String appender, ILoggingEvent event) {
        ConsoleAppender<ILoggingEvent> console =
                (ConsoleAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(appender);
        Encoder<ILoggingEvent> encoder = console.getEncoder();
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    /** Lines a runner and a control plane write: plain, with the MDC, with credentials, with an exception. */
    private static List<ILoggingEvent> events(LoggerContext context) {
        List<ILoggingEvent> events = new ArrayList<>();
        LoggingEvent plain = new LoggingEvent(RunnerLike.class.getName(), context.getLogger(
                "ai.interviewinsights.app.RunnerMode"), Level.INFO, "runner started on port {}", null,
                new Object[] {40123});
        plain.setThreadName("main");
        plain.setTimeStamp(1_795_000_000_123L);
        plain.setMDCPropertyMap(Map.of());
        events.add(plain);

        LoggingEvent secrets = new LoggingEvent(RunnerLike.class.getName(), context.getLogger(
                "ai.interviewinsights.app.runner.RunnerServer"), Level.WARN,
                "offer refused: token {} key {} ephemeral {} fly {} header \"{}\"",
                new IllegalStateException("upstream said " + OPENAI_KEY),
                new Object[] {JWT, OPENAI_KEY, EPHEMERAL, FLY_TOKEN, BEARER});
        secrets.setThreadName("qtp-1 \"quoted\"");
        secrets.setTimeStamp(1_795_000_001_456L);
        secrets.setMDCPropertyMap(Map.of("request_id", "req-0123456789abcdef", "session_id",
                "3f1c2a9e-0000-4000-8000-000000000001", "tenant_id", "3f1c2a9e-0000-4000-8000-000000000002",
                "job", "retention", "other", "not included"));
        events.add(secrets);

        LoggingEvent unicode = new LoggingEvent(RunnerLike.class.getName(), context.getLogger(
                "ai.interviewinsights.app.controlplane.SomeRatherLongPackageName.SessionRoutes"), Level.ERROR,
                "candidate said «ça va» \t and\nleft", null, null);
        unicode.setThreadName("runner-background");
        unicode.setTimeStamp(1_795_000_002_789L);
        unicode.setMDCPropertyMap(Map.of("session_id", "3f1c2a9e-0000-4000-8000-000000000001"));
        events.add(unicode);
        return events;
    }

    /** Stands for the logging class (the fully qualified caller name logback records). */
    private static final class RunnerLike {
    }
}
