package ai.interviewinsights.app.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up primer runs alongside the runner's logging set-up and its libraries' class initialisation, so what
 * keeps it safe is that it touches the JDK only: a class of ours or of a library initialised from two threads at once
 * could deadlock, and a logger made before logback is configured would be a substitute. A fresh JVM runs it alone
 * with a class-load log: every class it loads must be the JDK's, and the set-ups it exists for must be among them.
 */
class StartUpPrimerTest {

    @TempDir
    Path folder;

    /** What the test's JVM runs: the primer, synchronously, and nothing else of ours. */
    public static final class Probe {
        public static void main(String[] args) {
            StartUpPrimer.run();
        }
    }

    @Test
    void the_primer_loads_only_the_jdk_and_does_the_set_ups_the_start_meets() throws Exception {
        Path classes = folder.resolve("classes.log");
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xshare:off",
                "-Xlog:class+load=info:file=" + classes, "-cp", System.getProperty("java.class.path"),
                Probe.class.getName());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe ended");
        assertEquals(0, process.exitValue(), output);

        List<String> loaded = new ArrayList<>();
        List<String> fromClassPath = new ArrayList<>();
        for (String line : Files.readAllLines(classes)) {
            int source = line.indexOf(" source: ");
            if (source > 0) {
                String name = line.substring(line.lastIndexOf(' ', source - 1) + 1, source);
                loaded.add(name);
                // The JDK's classes come from its runtime image (jrt:/); ours and the libraries' from the class path.
                if (line.startsWith("file:", source + " source: ".length())
                        || line.startsWith("jar:", source + " source: ".length())) {
                    fromClassPath.add(name);
                }
            }
        }
        assertTrue(loaded.size() > 100, "the class-load log was written: " + loaded.size());
        assertTrue(fromClassPath.contains(StartUpPrimer.class.getName()), "the class path's classes are told apart");
        List<String> notJdk = fromClassPath.stream().filter(name -> !name.startsWith(StartUpPrimer.class.getName())
                && !name.startsWith(Probe.class.getName())).toList();
        assertEquals(List.of(), notJdk, "the primer touched more than the JDK");

        // What the main thread would otherwise meet: Jetty's MimeTypes asks for every locale, OkHttp for the first
        // security provider, the JSON log and Jackson's date format for the time-zone rules and legacy calendars,
        // records and string concatenation for the method-handle machinery.
        for (String setUp : List.of("sun.util.locale.provider.LocaleServiceProviderPool$AllAvailableLocales",
                "sun.security.ssl.SunJSSE", "java.time.zone.TzdbZoneRulesProvider", "java.util.GregorianCalendar",
                "java.text.SimpleDateFormat", "java.lang.runtime.ObjectMethods",
                "java.lang.invoke.StringConcatFactory")) {
            assertTrue(loaded.contains(setUp), setUp + " was not set up by the primer");
        }
    }
}
