package ai.interviewinsights.app.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner JVM's command: flags this JDK accepts, the class-data archive's life (written once, then used), and
 * that a runner started with these flags really maps the archive, where it was written (not relocated: relocation
 * rewrites the archive's pages and makes them each runner's private memory, issue 16 goal 3).
 */
class RunnerJvmTest {

    @TempDir
    Path folder;

    private RunnerJvm jvm() {
        return new RunnerJvm(List.of("java", "-Xmx96m"), List.of("-cp", "app.jar", "Main"),
                folder.resolve("runner-abc.jsa"));
    }

    @Test
    void the_first_runner_writes_the_archive_and_later_ones_map_it_once_it_is_complete() throws Exception {
        RunnerJvm jvm = jvm();
        RunnerJvm.Launch first = jvm.next();
        Path partial = folder.resolve("runner-abc.jsa.partial");
        assertTrue(first.command().contains("-XX:ArchiveClassesAtExit=" + partial), first.command().toString());
        assertEquals(List.of("-cp", "app.jar", "Main"), first.command().subList(first.command().size() - 3,
                first.command().size()), "the archive flag goes before the class path");
        // While the first runner lives, others start without an archive and without writing one too.
        RunnerJvm.Launch second = jvm.next();
        assertFalse(second.command().stream().anyMatch(c -> c.startsWith("-XX:SharedArchiveFile")
                || c.startsWith("-XX:ArchiveClassesAtExit")), second.command().toString());

        Files.writeString(partial, "archive bytes"); // what the JVM writes at its exit
        first.onExit().accept(0);
        assertTrue(Files.isRegularFile(folder.resolve("runner-abc.jsa")));
        assertFalse(Files.exists(partial));
        assertTrue(jvm.next().command().contains("-XX:SharedArchiveFile=" + folder.resolve("runner-abc.jsa")));
    }

    @Test
    void an_archive_from_a_killed_runner_is_thrown_away_and_the_next_runner_writes_it_again() throws Exception {
        RunnerJvm jvm = jvm();
        RunnerJvm.Launch first = jvm.next();
        Path partial = folder.resolve("runner-abc.jsa.partial");
        Files.writeString(partial, "cut short");
        first.onExit().accept(137); // SIGKILL: the file may be incomplete
        assertFalse(Files.exists(partial));
        assertFalse(Files.exists(folder.resolve("runner-abc.jsa")));
        assertTrue(jvm.next().command().contains("-XX:ArchiveClassesAtExit=" + partial));
    }

    @Test
    void a_record_from_a_runner_that_served_no_session_is_thrown_away_and_the_next_runner_records_again()
            throws Exception {
        RunnerJvm jvm = jvm();
        RunnerJvm.Launch first = jvm.next();
        Path partial = folder.resolve("runner-abc.jsa.partial");
        Files.writeString(partial, "the start's classes only"); // a standby drained before any claim, complete
        first.onExit().accept(RunnerJvm.GIVEN_NO_SESSION);
        assertFalse(Files.exists(partial));
        assertFalse(Files.exists(folder.resolve("runner-abc.jsa")), "not kept: it lacks an interview's classes");
        assertTrue(jvm.next().command().contains("-XX:ArchiveClassesAtExit=" + partial));
    }

    @Test
    void a_fixed_command_and_a_directory_class_path_get_no_archive() {
        assertEquals(List.of("java", "Main"), RunnerJvm.fixed(List.of("java", "Main")).next().command());
        // Under Maven the application's classes are a directory: class-data sharing archives jars only.
        RunnerJvm fromClasses = RunnerJvm.forThisApplication(RunnerJvmTest.class.getName(), List.of(), folder);
        assertTrue(fromClasses.archive().isEmpty());
        assertTrue(fromClasses.next().command().containsAll(RunnerJvm.FLAGS));
    }

    /** A program to archive: loads a few JDK classes and one of its own, then exits. */
    public static final class ArchivedMain {
        public static void main(String[] args) {
            java.util.Map<String, Integer> counts = new java.util.concurrent.ConcurrentHashMap<>();
            counts.merge("archived", 1, Integer::sum);
            System.out.println("archived main ran " + counts + " " + new Payload(1));
        }

        record Payload(int value) {
        }
    }

    @Test
    void a_runner_jvm_maps_the_archive_its_first_run_wrote_at_the_address_it_was_written_for() throws Exception {
        Path jar = archivedJar();
        Path archive = folder.resolve("runner.jsa");
        // The first run writes the archive at its exit, as the first runner after a build does (RunnerJvm.next()).
        Run dump = java(List.of("-XX:ArchiveClassesAtExit=" + archive), jar);
        assertEquals(0, dump.code(), dump.output());
        assertTrue(Files.size(archive) > 0, "archive written");
        // -Xshare:on makes a JVM that cannot map the archive fail instead of running without it.
        Run mapped = java(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on", "-Xlog:cds=info",
                "-Xlog:class+load=info"), jar);
        assertEquals(0, mapped.code(), mapped.output());
        assertTrue(mapped.output().contains("archived main ran"), mapped.output());
        assertTrue(mapped.output().contains("Mapped dynamic region"), mapped.output());
        assertTrue(mapped.output().contains(ArchivedMain.class.getName() + " source: shared objects file (top)"),
                "the application's own class comes from the dynamic archive: " + mapped.output());
        assertFalse(mapped.output().contains("alternative address"),
                "the archives are mapped where they were written, not relocated: " + mapped.output());
    }

    private record Run(int code, String output) {
    }

    private static Run java(List<String> flags, Path jar) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(RunnerJvm.FLAGS);
        command.addAll(flags);
        command.addAll(List.of("-cp", jar.toString(), ArchivedMain.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Run(process.exitValue(), output);
    }

    @Test
    void this_jdk_accepts_every_runner_flag() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(RunnerJvm.FLAGS);
        command.add("-version");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
    }

    @Test
    void the_flags_follow_the_feature_release_of_the_runners_java() {
        // JDK 25 refuses -XX:-UseNotificationThread (no runner started at all) and the AOT cache refuses -Xshare.
        List<String> jdk17 = RunnerJvm.flagsFor(17);
        assertTrue(jdk17.contains("-XX:-UseNotificationThread") && jdk17.contains("-Xshare:auto"), jdk17.toString());
        List<String> jdk25 = RunnerJvm.flagsFor(25);
        assertFalse(jdk25.stream().anyMatch(f -> f.contains("UseNotificationThread") || f.startsWith("-Xshare")),
                jdk25.toString());
        assertTrue(jdk25.contains("-Xlog:cds=off,cds+dynamic=off,aot=off"), jdk25.toString());
        assertEquals(RunnerJvm.ArchiveKind.CDS, RunnerJvm.ArchiveKind.of(17));
        assertEquals(RunnerJvm.ArchiveKind.CDS, RunnerJvm.ArchiveKind.of(24));
        assertEquals(RunnerJvm.ArchiveKind.AOT_CACHE, RunnerJvm.ArchiveKind.of(25));
        assertEquals(RunnerJvm.flagsFor(Runtime.version().feature()), RunnerJvm.FLAGS);
    }

    @Test
    void on_jdk_25_the_first_runner_records_and_a_jvm_of_its_own_assembles_the_aot_cache_later_ones_use()
            throws Exception {
        Path jar = archivedJar();
        String java = ProcessHandle.current().info().command().orElse("java");
        RunnerJvm jvm = new RunnerJvm(List.of(java), List.of("-cp", jar.toString(), ArchivedMain.class.getName()),
                folder.resolve("runner-abc.aot"), RunnerJvm.ArchiveKind.AOT_CACHE);
        RunnerJvm.Launch first = jvm.next();
        Path partial = folder.resolve("runner-abc.aot.partial");
        Path configuration = folder.resolve("runner-abc.aot.partial.aotconf");
        assertTrue(first.command().containsAll(List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + configuration)),
                first.command().toString());
        assertFalse(jvm.next().command().stream().anyMatch(c -> c.startsWith("-XX:AOT")),
                "while the first runner records, others start without and record nothing");

        // A record cut short (a kill) is thrown away, and the next runner records again.
        Files.writeString(configuration, "cut short");
        first.onExit().accept(137);
        assertFalse(Files.exists(configuration));
        assertFalse(Files.exists(folder.resolve("runner-abc.aot")));
        RunnerJvm.Launch again = jvm.next();
        assertTrue(again.command().contains("-XX:AOTMode=record"), again.command().toString());

        // A record that is no AOT configuration at all: the assembling JVM fails, nothing is kept, nothing hangs.
        Files.writeString(configuration, "not a configuration");
        again.onExit().accept(0);
        for (int i = 0; i < 600 && Files.exists(configuration); i++) {
            Thread.sleep(100);
        }
        assertFalse(Files.exists(configuration), "the record is gone once its assembly ended");
        assertFalse(Files.exists(folder.resolve("runner-abc.aot")));
        assertTrue(jvm.next().command().contains("-XX:AOTMode=record"));
    }

    private Path archivedJar() throws Exception {
        Path jar = folder.resolve("app.jar");
        if (Files.exists(jar)) {
            return jar;
        }
        writeJar(jar, java.util.Map.of(entry(ArchivedMain.class), classBytes(ArchivedMain.class),
                entry(ArchivedMain.Payload.class), classBytes(ArchivedMain.Payload.class)));
        return jar;
    }

    /**
     * The runners' jar beside the application's: runners start from it when every class in it is the application's
     * own (the same build), and from the application's jar when it is missing or from another build (only the
     * application's jar replaced), so that a runner never runs code its control plane does not know.
     */
    @Test
    void runners_start_from_the_runners_jar_beside_the_applications_only_when_it_is_of_the_same_build()
            throws Exception {
        Path app = folder.resolve("application.jar");
        writeJar(app, java.util.Map.of(entry(ArchivedMain.class), classBytes(ArchivedMain.class),
                entry(ArchivedMain.Payload.class), classBytes(ArchivedMain.Payload.class),
                "runner/fixture.txt", "this build's".getBytes(), "META-INF/services/some.Service",
                "only.the.Runners\nonly.the.ControlPlane\n".getBytes()));
        Path runners = folder.resolve(RunnerJvm.RUNNERS_JAR);
        assertEquals(java.util.Optional.empty(), RunnerJvm.runnersJarBeside(app), "none beside it");

        // The same build: a subset of the application's classes and resources; its own manifest and service files,
        // and another library's module-info than the one the application's shading kept (a class path reads none).
        writeJar(runners, java.util.Map.of(entry(ArchivedMain.class), classBytes(ArchivedMain.class),
                "runner/fixture.txt", "this build's".getBytes(),
                "META-INF/services/some.Service", "only.the.Runners\n".getBytes(),
                "META-INF/versions/9/module-info.class", classBytes(ArchivedMain.Payload.class)));
        assertEquals(java.util.Optional.of(runners), RunnerJvm.runnersJarBeside(app));
        String before = System.getProperty(RunnerJvm.RUNNER_JAR_PROPERTY);
        System.setProperty(RunnerJvm.RUNNER_JAR_PROPERTY, app.toString());
        try {
            List<String> command = RunnerJvm.forThisApplication(ArchivedMain.class.getName(), List.of(), folder)
                    .next().command();
            assertEquals(runners.toString(), command.get(command.indexOf("-cp") + 1), command.toString());
            assertTrue(command.stream().anyMatch(c -> c.startsWith("-XX:ArchiveClassesAtExit=" + folder)),
                    "the runners' jar gets its archive: " + command);
        } finally {
            if (before == null) {
                System.clearProperty(RunnerJvm.RUNNER_JAR_PROPERTY);
            } else {
                System.setProperty(RunnerJvm.RUNNER_JAR_PROPERTY, before);
            }
        }

        // Another build: a class of the same name with other bytes, or a class the application does not have.
        writeJar(runners, java.util.Map.of(entry(ArchivedMain.Payload.class), classBytes(ArchivedMain.class)));
        assertEquals(java.util.Optional.empty(), RunnerJvm.runnersJarBeside(app));
        writeJar(runners, java.util.Map.of(entry(ArchivedMain.class), classBytes(ArchivedMain.class),
                entry(RunnerJvmTest.class), classBytes(RunnerJvmTest.class)));
        assertEquals(java.util.Optional.empty(), RunnerJvm.runnersJarBeside(app));
        // A resource of the same name with other bytes (a warm-up fixture, say) is another build too.
        writeJar(runners, java.util.Map.of(entry(ArchivedMain.class), classBytes(ArchivedMain.class),
                "runner/fixture.txt", "another build's".getBytes()));
        assertEquals(java.util.Optional.empty(), RunnerJvm.runnersJarBeside(app));
        // Nothing of the application's at all, or not a jar.
        writeJar(runners, java.util.Map.of("README", "x".getBytes()));
        assertEquals(java.util.Optional.empty(), RunnerJvm.runnersJarBeside(app));
        Files.writeString(runners, "not a jar");
        assertEquals(java.util.Optional.empty(), RunnerJvm.runnersJarBeside(app));
    }

    private static String entry(Class<?> type) {
        return type.getName().replace('.', '/') + ".class";
    }

    private static byte[] classBytes(Class<?> type) throws Exception {
        try (var in = type.getClassLoader().getResourceAsStream(entry(type))) {
            return in.readAllBytes();
        }
    }

    private static void writeJar(Path jar, java.util.Map<String, byte[]> entries) throws Exception {
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            for (var e : new java.util.TreeMap<>(entries).entrySet()) {
                out.putNextEntry(new java.util.jar.JarEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
    }

    /**
     * Every JDK on this machine (this one, and each under /usr/lib/jvm): the runner flags of its release start it
     * without a word of complaint, and the archive of its kind is written by a first run and then used by the next
     * one (-Xshare:on or -XX:AOTMode=on make a JVM that cannot use it fail). A control plane started with any of them
     * would otherwise start no runner at all: JDK 25 refused a flag that 17 needs.
     */
    @Test
    void every_jdk_on_this_machine_starts_a_runner_with_its_flags_and_uses_its_archive() throws Exception {
        Path jar = archivedJar();
        List<Path> homes = installedJdks();
        assertFalse(homes.isEmpty());
        for (Path home : homes) {
            int feature = feature(home);
            List<String> flags = RunnerJvm.flagsFor(feature);
            Path launcher = home.resolve("bin/java");
            Run plain = run(launcher, flags, List.of("-version"));
            assertEquals(0, plain.code(), home + ": " + plain.output());
            assertFalse(plain.output().toLowerCase(java.util.Locale.ROOT).contains("warning"),
                    home + ": " + plain.output());

            // The archive's whole life as RunnerJvm leads it: recorded by a first runner, assembled if need be, used.
            RunnerJvm.ArchiveKind kind = RunnerJvm.ArchiveKind.of(feature);
            Path archive = folder.resolve("runner-" + feature + kind.extension);
            List<String> prefix = new ArrayList<>(List.of(launcher.toString()));
            prefix.addAll(flags);
            RunnerJvm jvm = new RunnerJvm(prefix, List.of("-cp", jar.toString(), ArchivedMain.class.getName()),
                    archive, kind);
            RunnerJvm.Launch first = jvm.next();
            Process recording = new ProcessBuilder(first.command()).redirectErrorStream(true).start();
            String recorded = new String(recording.getInputStream().readAllBytes());
            assertTrue(recording.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, recording.exitValue(), home + ": " + recorded);
            first.onExit().accept(0);
            for (int i = 0; i < 1200 && !Files.isRegularFile(archive); i++) {
                Thread.sleep(100);
            }
            assertTrue(Files.isRegularFile(archive) && Files.size(archive) > 0, home + ": archive written");
            List<String> mapped = new ArrayList<>(jvm.next().command());
            assertTrue(mapped.contains(kind.use + archive), mapped.toString());
            // -Xshare:on or -XX:AOTMode=on make a JVM that cannot use the archive fail instead of running without.
            mapped.addAll(1, kind == RunnerJvm.ArchiveKind.CDS ? List.of("-Xshare:on", "-Xlog:class+load=info")
                    : List.of("-XX:AOTMode=on", "-Xlog:class+load=info"));
            Process using = new ProcessBuilder(mapped).redirectErrorStream(true).start();
            String output = new String(using.getInputStream().readAllBytes());
            assertTrue(using.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, using.exitValue(), home + ": " + output);
            assertTrue(output.contains(ArchivedMain.class.getName() + " source: shared objects file"),
                    home + ": the application's own class comes from the archive: " + output);
        }
    }

    /** This JDK and every other one installed beside it (Debian's and Temurin's live under /usr/lib/jvm). */
    private static List<Path> installedJdks() throws Exception {
        java.util.Set<Path> homes = new java.util.LinkedHashSet<>();
        homes.add(Path.of(System.getProperty("java.home")).toRealPath());
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (var entries = Files.list(jvms)) {
                for (Path home : (Iterable<Path>) entries.sorted()::iterator) {
                    if (Files.isExecutable(home.resolve("bin/java")) && Files.isRegularFile(home.resolve("release"))) {
                        homes.add(home.toRealPath());
                    }
                }
            }
        }
        return List.copyOf(homes);
    }

    private static int feature(Path home) throws Exception {
        for (String line : Files.readAllLines(home.resolve("release"))) {
            if (line.startsWith("JAVA_VERSION=")) {
                String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                return Integer.parseInt(version.split("[.+-]")[0]);
            }
        }
        throw new AssertionError("no JAVA_VERSION in " + home.resolve("release"));
    }

    private static Run run(Path java, List<String> flags, List<String> rest) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(flags);
        command.addAll(rest);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        return new Run(process.exitValue(), output);
    }
}
