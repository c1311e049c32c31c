package ai.interviewinsights.app.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.mask.MaskingJsonGeneratorDecorator;

/**
 * The app's logging, configured in code: logback finds this class through {@code ServiceLoader}
 * ({@code META-INF/services/ch.qos.logback.classic.spi.Configurator}) before it would look for an XML file, and
 * nothing else is read. Reading {@code logback.xml} cost every runner about a quarter of its start before READY
 * (Joran, the JDK's XML parser and its factories: ~270 classes; issue 16, ADR 0024); the lines written are the
 * same as that file's, which {@code LogConfigurationTest} holds against the XML the project used to ship.
 *
 * <p>{@code LOG_FORMAT=json} (the default): one JSON object a line ({@code time}, {@code message},
 * {@code logger_name}, {@code thread_name}, {@code level}, the request, session and tenant ids and the job from the
 * MDC, {@code stack_trace}), with values that look like credentials masked as a last line of defence: secrets are
 * never logged on purpose. {@code LOG_FORMAT=text}: readable lines for a terminal. Both keep the libraries' chatter
 * at WARN and the app's own at INFO.
 *
 * <p>An operator who names a file with {@code -Dlogback.configurationFile} still gets it: this configurator then
 * steps aside and logback's own XML configurator reads that file.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogConfiguration extends ContextAwareBase implements Configurator {

    /** The MDC keys a JSON line carries (set by the HTTP edge, the runner and the job runner). */
    static final List<String> MDC_KEYS = List.of("request_id", "session_id", "tenant_id", "job");
    /**
     * What looks like a credential in any logged value: a JWT, OpenAI keys, Fly tokens, Authorization values. Each
     * pattern comes with the text every match of it contains (a value without it is not run through the pattern):
     * change the two together ({@code CredentialMaskerTest} checks each match of each pattern passes its test).
     */
    static final List<CredentialMasker.Credential> CREDENTIALS = List.of(
            CredentialMasker.Credential.containing("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*", "eyJ"),
            CredentialMasker.Credential.containing("sk-[A-Za-z0-9_-]{8,}", "sk-"),
            CredentialMasker.Credential.containing("ek_[A-Za-z0-9_-]{8,}", "ek_"),
            CredentialMasker.Credential.containing("(fm1r|fm1a|fm2)_[A-Za-z0-9_+/=-]{8,}", "fm"),
            CredentialMasker.Credential.wordThenSpace("(?i)(bearer|flyv1) [A-Za-z0-9._~+/=-]{8,}",
                    List.of("bearer", "flyv1")));
    static final String MASK = "****";
    /** Libraries whose INFO lines say nothing an operator needs. */
    static final List<String> QUIET_LIBRARIES = List.of("org.eclipse.jetty", "io.javalin", "io.zonky",
            "org.flywaydb", "com.zaxxer.hikari", "okhttp3");
    static final String TEXT_PATTERN =
            "%d{HH:mm:ss.SSS} %-5level %logger{24} [%X{request_id}%X{session_id:+ s=}%X{session_id}] %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // the operator's own file, read by logback's Joran
        }
        apply(context, Format.of(System.getenv("LOG_FORMAT")));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** The two formats {@code LOG_FORMAT} chooses between. */
    public enum Format {
        JSON, TEXT;

        /**
         * {@code text} is text, anything else JSON: the settings refuse other values with a clear error, but that
         * check comes after the first logger, and an unreadable value must not lose the structured logs.
         */
        public static Format of(String logFormat) {
            return "text".equals(logFormat) ? TEXT : JSON;
        }
    }

    /** Configures {@code context} for {@code format}: one console appender on the root logger. */
    public static void apply(LoggerContext context, Format format) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(format == Format.JSON ? "JSON" : "TEXT");
        console.setEncoder(format == Format.JSON ? json(context) : text(context));
        console.start();
        for (String library : QUIET_LIBRARIES) {
            context.getLogger(library).setLevel(Level.WARN);
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
    }

    private static Encoder<ILoggingEvent> json(LoggerContext context) {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        MDC_KEYS.forEach(encoder::addIncludeMdcKeyName);
        encoder.getFieldNames().setTimestamp("time");
        encoder.getFieldNames().setVersion("[ignore]");
        encoder.getFieldNames().setLevelValue("[ignore]");
        MaskingJsonGeneratorDecorator masking = new MaskingJsonGeneratorDecorator();
        masking.addValueMasker(new CredentialMasker(CREDENTIALS, MASK));
        masking.start(); // (Joran starts every LifeCycle it builds; the encoder does not start its decorator)
        encoder.setJsonGeneratorDecorator(masking);
        encoder.start();
        return encoder;
    }

    private static Encoder<ILoggingEvent> text(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(TEXT_PATTERN);
        encoder.start();
        return encoder;
    }
}
