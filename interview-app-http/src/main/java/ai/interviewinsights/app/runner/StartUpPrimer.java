package ai.interviewinsights.app.runner;

import java.security.Security;
import java.text.SimpleDateFormat;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Locale;
import java.util.TimeZone;

/**
 * The JDK's own one-time set-ups that a runner's start meets on its main thread, done first on a thread of their own
 * (issue 16, goal 2: a cold runner READY within 300 ms). A runner's start is one thread's work - logging, the
 * control plane's client, Jetty, one after another - while the machine's second core idles until the
 * assignment's fetch and the relay warm-up begin, ~150 ms in. Measured with {@code -Xlog:class+load} and JFR's
 * class-load stacks, the main thread spent a good part of that time in JDK code that depends on nothing of ours:
 *
 * <ul>
 *   <li>Jetty's {@code MimeTypes} (made with the server) asks for every available locale, which loads the JDK's
 *       locale providers and CLDR's list (~60 classes, the slowest single step of the server's set-up);</li>
 *   <li>OkHttp (the control plane's client) asks which security provider comes first, which loads and instantiates
 *       every installed provider (~130 classes of {@code sun.security} and {@code java.security});</li>
 *   <li>the JSON log's timestamps (logstash's formatter) and Jackson's {@code StdDateFormat} load the time-zone
 *       rules, {@code java.time}'s formatters and the legacy calendar classes (~90 classes);</li>
 *   <li>the first record's {@code equals}/{@code hashCode}/{@code toString} and the first string concatenations
 *       bootstrap the JDK's method-handle machinery, which spins bytecode at run time (~80 classes no class-data
 *       archive holds); -20 ms of the main thread's CPU in interleaved runs.</li>
 * </ul>
 *
 * <p>This thread does exactly those, as soon as the JVM runs our code, so that by the time the main thread meets them
 * they are done (or under way: the JVM lets the second thread to reach a class's initialisation wait for the first, so nothing
 * is done twice). Only the JDK is touched - no logger, no class of ours or of a library - so it cannot race with the
 * logging set-up or deadlock with a library's class initialisation, and it adds no work a runner would not do
 * anyway before READY: on one core it costs a few context switches, on two it takes the work off the critical path.
 * Best effort: whatever fails here is left for the main thread to meet (and report) as before.
 */
public final class StartUpPrimer {

    private StartUpPrimer() {
    }

    /** Starts the primer (a daemon thread that ends when done); returns at once. */
    public static void start() {
        Thread primer = new Thread(StartUpPrimer::run, "runner-primer");
        primer.setDaemon(true);
        primer.start();
    }

    /**
     * The set-ups themselves, in the order the main thread meets them: this thread skips the main thread's work in
     * between (logback's, Jackson's, ours), so it stays ahead of it.
     */
    static void run() {
        quietly(() -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.now(ZoneId.systemDefault())));
        quietly(() -> {
            SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSX", Locale.US);
            format.setTimeZone(TimeZone.getTimeZone("UTC"));
            return format.format(new Date(0));
        });
        quietly(Security::getProviders);
        quietly(Locale::getAvailableLocales);
        // The JDK's method-handle machinery behind records' equals/hashCode/toString and string concatenation
        // (bytecode spun at first use: ~80 classes the main thread otherwise spins itself).
        quietly(() -> {
            Shape shape = new Shape("a", 1, 2L, null);
            return shape.toString() + shape.hashCode() + shape.equals(new Shape("b", 3, 4L, shape)) + 'c' + 1.5;
        });
    }

    /** A record of the JDK's types only, to run the records' bootstrap (the class is this one's own). */
    private record Shape(String text, int number, long big, Object other) {
    }

    private static void quietly(java.util.function.Supplier<?> setUp) {
        try {
            setUp.get();
        } catch (RuntimeException | LinkageError e) {
            // the main thread meets it again where it is needed, and reports it there
        }
    }
}
