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
        Path jar = folder.resolve("app.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            for (Class<?> type : List.of(ArchivedMain.class, ArchivedMain.Payload.class)) {
                String entry = type.getName().replace('.', '/') + ".class";
                out.putNextEntry(new java.util.jar.JarEntry(entry));
                try (var in = type.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
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
}
