package ai.interviewinsights.app.local;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntConsumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a local runner's JVM is started: small and quick to start, because a machine holds hundreds of them and each
 * relays about one offer in its life (docs/performance.md).
 *
 * <ul>
 *   <li><b>Memory.</b> A runner's live heap is about 12 MB. The JVM's default initial heap (1/64 of the machine's
 *       memory) gives it a young generation of tens of megabytes that is touched, page by page, before the first
 *       collection: that, not the live data, was most of a runner's resident size. The heap starts at 12 MB (what a
 *       start fills: no full collection before READY) and grows only as needed, up to 96 MB; serial GC (no GC
 *       threads), the client compiler only, no JMX notification thread, no perf-data file.</li>
 *   <li><b>Class-data sharing.</b> A runner loads about 5,000 classes; parsing and verifying them is most of its
 *       start. When the runners start from a jar (the runners' or the application's: the run command, the images), the first
 *       runner writes a dynamic AppCDS archive of every class it loaded when it exits
 *       ({@code -XX:ArchiveClassesAtExit}), into a temporary file that becomes the archive once that runner has ended
 *       cleanly; every later runner maps it ({@code -XX:SharedArchiveFile}), which is also shared memory between
 *       runners. The archive's name carries a digest of the JVM and the jar, so a new build or JDK writes a new one;
 *       a JVM that cannot use an archive ignores it ({@code -Xshare:auto}). From a directory class path (tests in
 *       the IDE or Maven) there is no archive: CDS archives classes from jars only. On JDK 25 and later the same
 *       life is an AOT cache's ({@link ArchiveKind}): the first runner records its classes
 *       ({@code -XX:AOTMode=record}), a JVM of the control plane's own assembles the cache from that record, and the
 *       later runners use it ({@code -XX:AOTCache}).</li>
 *   <li><b>The runners' java.</b> Runners run on the control plane's own java, and the flags follow its feature
 *       release ({@link #flagsFor}): a flag one release needs, a later one may refuse.</li>
 * </ul>
 */
public final class RunnerJvm {

    private static final Logger LOG = LoggerFactory.getLogger(RunnerJvm.class);

    /**
     * The flags of a runner JVM of this feature release (runners run on the control plane's own java). One flag
     * depends on it: {@code -XX:-UseNotificationThread} was deprecated in JDK 23, obsoleted in 24 and is refused by
     * 25 and later ("Unrecognized VM option": no runner would start); without it, 23 and 24 would print a warning.
     */
    static List<String> flagsFor(int feature) {
        List<String> flags = new ArrayList<>(COMMON_FLAGS);
        if (feature <= 22) {
            flags.add(flags.indexOf("-XX:-UsePerfData"), "-XX:-UseNotificationThread");
        }
        if (ArchiveKind.of(feature) == ArchiveKind.AOT_CACHE) {
            // The AOT cache refuses any -Xshare option; its own messages are under the aot tag.
            flags.add("-Xlog:cds=off,cds+dynamic=off,aot=off");
        } else {
            // A JVM that cannot use the archive starts without it.
            flags.add("-Xshare:auto");
            flags.add("-Xlog:cds=off,cds+dynamic=off");
        }
        return List.copyOf(flags);
    }

    private static final List<String> COMMON_FLAGS = List.of(
            // 12 MB to start with, not 8: a runner's start fills ~10 MB of heap, and from 8 MB the old generation
            // grew a megabyte at a time, each step after a full collection (three before READY, plus ~18 young
            // ones): half the start's GC time, all of it stopping the start. From 12 MB: no full collection before
            // READY, 20-30 ms less GC before READY (measured under load), and the same RSS and PSS at rest (the
            // pages are touched only as they fill; docs/performance.md, ADR 0024 amended).
            "-Xms12m", "-Xmx96m", "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30", "-XX:MaxMetaspaceSize=96m", "-XX:ReservedCodeCacheSize=32m",
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
            // No code-cache sweeper thread: C1 code of one interview fits the 32 MB cache with room to spare.
            "-XX:-MethodFlushing",
            // One compiler thread: a runner's start compiles little, and a second C1 thread only costs an idle
            // thread and its arena afterwards.
            "-XX:CICompilerCount=1",
            // A young generation of 2 MB: a runner allocates little once started, and the default (a third of the
            // heap) is touched, page by page, between collections: resident memory holding garbage. (1 MB was ~1 MB
            // less resident but cost ~25 ms of CPU before READY in twice as many collections: docs/performance.md.)
            "-Xmn2m",
            // A string table for ~10,000 interned strings (a runner's, at rest: 10,800) instead of the default
            // 65,536 buckets: 0.45 MB less malloc'd memory; the table still grows if a runner interns more.
            "-XX:StringTableSize=8192",
            "-Xss512k",
            // Map the class-data archives where they were dumped, as JDK 17 before 17.0.10 did by default: relocated
            // (the new default), every page holding a pointer is rewritten at start, so ~34 MB of the archives
            // become private memory of each runner instead of file pages shared by all of them, and the start pays
            // for the rewrite. Diagnostic in 17, hence the unlock; a JVM that cannot map there relocates anyway.
            "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");

    /** The flags of every runner JVM of this application's java (besides the archive's). */
    public static final List<String> FLAGS = flagsFor(Runtime.version().feature());

    /**
     * The kind of archive a runner's classes are kept in, by the feature release of the runners' java.
     *
     * <ul>
     *   <li>{@link #CDS} (JDK 17 to 24): a dynamic AppCDS archive, the classes parsed and verified, written by the
     *       first runner as it exits.</li>
     *   <li>{@link #AOT_CACHE} (JDK 25 and later, JEP 483): the classes loaded <em>and linked</em>. In two steps: the
     *       first runner records which classes it used as it exits (quick), then a JVM of the control plane's own
     *       assembles the cache from that record (seconds of CPU, which the JDK's one-step form would spend in the
     *       exiting runner, where the provisioner's grace after SIGTERM cuts it short under load).</li>
     * </ul>
     */
    enum ArchiveKind {
        CDS(".jsa", "-XX:SharedArchiveFile="),
        AOT_CACHE(".aot", "-XX:AOTCache=");

        final String extension;
        final String use;

        ArchiveKind(String extension, String use) {
            this.extension = extension;
            this.use = use;
        }

        static ArchiveKind of(int feature) {
            return feature >= 25 ? AOT_CACHE : CDS;
        }

        /** What the first runner is started with to record into {@code partial}. */
        List<String> record(Path partial) {
            return this == CDS ? List.of("-XX:ArchiveClassesAtExit=" + partial)
                    : List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + configuration(partial));
        }

        /** The flags that turn the record into {@code partial}, or none when the record is the archive itself. */
        List<String> create(Path partial) {
            return this == CDS ? List.of() : List.of("-XX:AOTMode=create",
                    "-XX:AOTConfiguration=" + configuration(partial), "-XX:AOTCache=" + partial);
        }

        /** Where the AOT configuration is recorded (beside the archive; gone once the cache is made). */
        static Path configuration(Path partial) {
            return partial.resolveSibling(partial.getFileName() + ".aotconf");
        }
    }

    /** A system property naming the jar runners start from, when this JVM does not run from it. */
    public static final String RUNNER_JAR_PROPERTY = "interview.runner.jar";

    /**
     * The runners' own jar ({@code RunnerMain}), built beside the application's: the same classes without what only
     * the control plane loads, so a runner's JVM reads a central directory of ~8,000 entries instead of ~19,000.
     */
    public static final String RUNNERS_JAR = "interview-runner.jar";

    /**
     * What a runner's launch is told at its exit instead of the exit code when the runner was given no session: a
     * standby that was drained or outlived its control plane unclaimed. Its class-data record holds the start's
     * classes only - not the socket's, the token check's, the offer's or the transcript's - and every runner mapping
     * it would load those from the jar at the candidate's first offer (measured: the pool's archive written by a
     * drained standby left a claimed standby's first offer at ~100 ms against ~40 ms on a cold runner). Such a record
     * is thrown away, and the next runner records again.
     */
    public static final int GIVEN_NO_SESSION = -2;

    /** The command of one runner, and what to do when that process has exited (with its exit code). */
    public record Launch(List<String> command, IntConsumer onExit) {
        public Launch {
            command = List.copyOf(command);
            Objects.requireNonNull(onExit, "onExit");
        }
    }

    private final List<String> prefix;
    private final List<String> suffix;
    private final Path archive;
    private final ArchiveKind kind;
    private boolean dumping;

    /** A runner JVM from these parts; {@code archive} is where the class-data archive is (or will be), or null. */
    RunnerJvm(List<String> prefix, List<String> suffix, Path archive) {
        this(prefix, suffix, archive, ArchiveKind.CDS);
    }

    RunnerJvm(List<String> prefix, List<String> suffix, Path archive, ArchiveKind kind) {
        this.prefix = List.copyOf(prefix);
        this.suffix = List.copyOf(suffix);
        this.archive = archive;
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * Runners of this very application: the same java, this application's jar when it runs from one or one is
     * named by the system property {@value #RUNNER_JAR_PROPERTY} (else this JVM's class path), in runner mode. When
     * the runners' jar ({@value #RUNNERS_JAR}) of the same build sits beside that jar, they start from it instead
     * ({@link #runnersJarBeside}).
     *
     * @param mainClass     the main class
     * @param extraFlags    more JVM flags (system properties such as the owner marker)
     * @param archiveFolder where the class-data archive is kept (the data directory's), or null for none
     */
    public static RunnerJvm forThisApplication(String mainClass, List<String> extraFlags, Path archiveFolder) {
        Path jar = applicationJar(mainClass);
        if (jar != null) {
            jar = startsFrom(jar);
        }
        String classPath = jar != null ? jar.toString() : System.getProperty("java.class.path");
        return forClassPath(classPath, mainClass, extraFlags, jar == null ? null : archiveFolder,
                jar == null ? null : "runner-" + digest(JAVA, jar));
    }

    /**
     * JVMs of this java with the runners' flags and the archive of this JDK's kind, on any class path of jars (the
     * benchmark's floor uses it for a program of its own).
     *
     * @param archiveFolder where the archive is kept, or null for none
     * @param archiveName   the archive's file name without its extension (the kind's)
     */
    public static RunnerJvm forClassPath(String classPath, String mainClass, List<String> extraFlags,
                                         Path archiveFolder, String archiveName) {
        List<String> prefix = new ArrayList<>();
        prefix.add(JAVA);
        prefix.addAll(FLAGS);
        prefix.addAll(extraFlags);
        ArchiveKind kind = ArchiveKind.of(Runtime.version().feature());
        Path archive = archiveFolder == null ? null : archiveFolder.resolve(archiveName + kind.extension);
        return new RunnerJvm(prefix, List.of("-cp", classPath, mainClass), archive, kind);
    }

    /** This process's own java: runners run on it. */
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    /** A fixed command (tests), without an archive. */
    public static RunnerJvm fixed(List<String> command) {
        return new RunnerJvm(command, List.of(), null);
    }

    /** The command without the archive's flag: what identifies our runners (their owner marker) is in it. */
    public List<String> baseCommand() {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(suffix);
        return List.copyOf(command);
    }

    /** The command of the next runner: mapping the archive when there is one, writing it when none is. */
    public synchronized Launch next() {
        List<String> command = new ArrayList<>(prefix);
        IntConsumer onExit = code -> { };
        if (archive != null) {
            if (Files.isRegularFile(archive)) {
                command.add(kind.use + archive);
            } else if (!dumping) {
                dumping = true;
                Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
                try {
                    Files.createDirectories(archive.getParent());
                    Files.deleteIfExists(partial);
                    Files.deleteIfExists(ArchiveKind.configuration(partial));
                    command.addAll(kind.record(partial));
                    onExit = code -> recorded(partial, code);
                } catch (IOException e) {
                    dumping = false;
                    LOG.warn("no class-data archive for runners: {}", e.toString());
                }
            }
        }
        command.addAll(suffix);
        return new Launch(command, onExit);
    }

    /**
     * The runner that recorded has exited. 0: the interview ended and the runner exited; 143: stopped by SIGTERM,
     * which still runs the JVM's exit (and so the recording) to its end. Anything else (a kill) may have cut the file
     * short, and {@link #GIVEN_NO_SESSION} holds too little: either is thrown away, and the next runner records
     * again.
     */
    private void recorded(Path partial, int exitCode) {
        Path configuration = ArchiveKind.configuration(partial);
        Path written = kind == ArchiveKind.CDS ? partial : configuration;
        boolean made;
        try {
            made = Files.isRegularFile(written) && Files.size(written) > 0;
        } catch (IOException e) {
            made = false;
        }
        boolean complete = made && (exitCode == 0 || exitCode == 143);
        if (made && exitCode == GIVEN_NO_SESSION) {
            LOG.info("the class-data record of a runner given no session (a standby never claimed) is not kept; the"
                    + " next runner records again");
        }
        List<String> create = kind.create(partial);
        if (!complete || create.isEmpty()) {
            archiveWritten(partial, complete);
            return;
        }
        // The AOT cache is assembled from the record by a JVM of its own: the runners' flags and class path, no main.
        List<String> command = new ArrayList<>(prefix);
        command.addAll(create);
        command.addAll(suffix.subList(0, suffix.size() - 1));
        try {
            Process assembling = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assembling.onExit().thenAccept(done -> {
                if (done.exitValue() != 0) {
                    LOG.warn("the AOT cache for runners was not assembled (exit {}); the next runner records again",
                            done.exitValue());
                }
                archiveWritten(partial, done.exitValue() == 0);
            });
        } catch (IOException e) {
            LOG.warn("the AOT cache for runners could not be assembled: {}", e.toString());
            archiveWritten(partial, false);
        }
    }

    /** The archive is complete in {@code partial} (kept as the archive), or not (thrown away). */
    private synchronized void archiveWritten(Path partial, boolean complete) {
        dumping = false;
        try {
            if (complete && Files.isRegularFile(partial) && Files.size(partial) > 0) {
                Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                LOG.info("class-data archive for runners written: {} ({} KB)", archive, Files.size(archive) / 1024);
            } else {
                Files.deleteIfExists(partial);
            }
            Files.deleteIfExists(ArchiveKind.configuration(partial));
        } catch (IOException e) {
            LOG.warn("the class-data archive for runners could not be kept: {}", e.toString());
        }
    }

    /** Where the next runner's archive is (or will be), if runners get one. */
    public java.util.Optional<Path> archive() {
        return java.util.Optional.ofNullable(archive);
    }

    private static Path applicationJar(String mainClass) {
        // A control plane running from classes (an IDE, the benchmark) may name the jar its runners start from.
        String named = System.getProperty(RUNNER_JAR_PROPERTY);
        if (named != null && Files.isRegularFile(Path.of(named))) {
            return Path.of(named).toAbsolutePath();
        }
        try {
            Class<?> main = Class.forName(mainClass, false, RunnerJvm.class.getClassLoader());
            var source = main.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            Path location = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(location) && location.toString().endsWith(".jar") ? location : null;
        } catch (ClassNotFoundException | URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The jars runners start from, by the two jars as they are on disk: the cold provisioner and the standby pool
     * both ask at the control plane's start, and the comparison reads two central directories.
     */
    private static final java.util.Map<String, Path> STARTS_FROM = new java.util.concurrent.ConcurrentHashMap<>();

    private static Path startsFrom(Path application) {
        String key = stamp(application) + '|' + stamp(application.resolveSibling(RUNNERS_JAR));
        return STARTS_FROM.computeIfAbsent(key, k -> runnersJarBeside(application).orElse(application));
    }

    private static String stamp(Path file) {
        try {
            return file + ":" + Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return file + ":none";
        }
    }

    /**
     * The runners' jar beside {@code application}, when it is of the same build: every class and resource in it
     * (all but {@code META-INF}'s manifest, service files and licences, and {@code module-info}) is in the
     * application's jar with the same size and CRC (read from the two central directories, nothing is inflated).
     * One from another build (only the application's jar was replaced) is passed over with a warning: the runners
     * then start from the application's jar, as they did before there was a runners' jar.
     */
    public static Optional<Path> runnersJarBeside(Path application) {
        Path runners = application.resolveSibling(RUNNERS_JAR);
        if (runners.equals(application) || !Files.isRegularFile(runners)) {
            return Optional.empty();
        }
        try (ZipFile app = new ZipFile(application.toFile()); ZipFile own = new ZipFile(runners.toFile())) {
            int classes = 0;
            for (Enumeration<? extends ZipEntry> entries = own.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || (name.startsWith("META-INF/") && !name.endsWith(".class"))
                        || name.endsWith("module-info.class")) {
                    // The manifest, the merged service files and licences differ by design; so may the one
                    // module-info the shading kept of the libraries' many, which a class path never reads.
                    continue;
                }
                ZipEntry same = app.getEntry(entry.getName());
                if (same == null || same.getCrc() != entry.getCrc() || same.getSize() != entry.getSize()) {
                    LOG.warn("{} is not of the build of {} ({} differs): runners start from the application's jar",
                            runners, application.getFileName(), entry.getName());
                    return Optional.empty();
                }
                classes += name.endsWith(".class") ? 1 : 0;
            }
            if (classes == 0) {
                LOG.warn("{} holds no class: runners start from the application's jar", runners);
                return Optional.empty();
            }
            LOG.info("runners start from {} ({} classes of this build)", runners, classes);
            return Optional.of(runners.toAbsolutePath());
        } catch (IOException e) {
            LOG.warn("{} cannot be read ({}): runners start from the application's jar", runners, e.getMessage());
            return Optional.empty();
        }
    }

    private static String digest(String java, Path jar) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String identity = java + '\n' + System.getProperty("java.vm.version") + '\n' + jar.toAbsolutePath() + '\n'
                    + Files.size(jar) + '\n' + Files.getLastModifiedTime(jar).toMillis();
            return HexFormat.of().formatHex(sha.digest(identity.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("cannot identify the runner jar " + jar, e);
        }
    }
}
