package ai.interviewinsights.app.e2e;

import static ai.interviewinsights.app.e2e.FakeOpenAi.added;
import static ai.interviewinsights.app.e2e.FakeOpenAi.aiDone;
import static ai.interviewinsights.app.e2e.FakeOpenAi.userCompleted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.local.RunnerJvm;
import ai.interviewinsights.domain.model.interview.Architecture;
import ai.interviewinsights.domain.model.runner.StandbyPoolSizes;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runners' jar as the package phase built it (run by {@code mvn verify} after {@code package}, not by
 * {@code mvn test}): the control plane, told that it runs from the application's jar, starts the session's runner
 * from {@code interview-runner.jar} beside it, and that runner holds a whole interview - the offer and its answer,
 * the sideband's transcript made durable, the end - with none of the control plane's libraries on its class path. A
 * class the runners' jar lacks would fail here where a runner first needs it.
 */
class RunnersJarIT {

    private static final Path APPLICATION_JAR = Path.of("target", "interview-app-http.jar").toAbsolutePath();
    private static String before;

    @BeforeAll
    static void fromThePackagedJars() {
        assertTrue(Files.isRegularFile(APPLICATION_JAR) && Files.isRegularFile(
                APPLICATION_JAR.resolveSibling(RunnerJvm.RUNNERS_JAR)), "run after package: " + APPLICATION_JAR);
        before = System.getProperty(RunnerJvm.RUNNER_JAR_PROPERTY);
        System.setProperty(RunnerJvm.RUNNER_JAR_PROPERTY, APPLICATION_JAR.toString());
    }

    @AfterAll
    static void restore() {
        if (before == null) {
            System.clearProperty(RunnerJvm.RUNNER_JAR_PROPERTY);
        } else {
            System.setProperty(RunnerJvm.RUNNER_JAR_PROPERTY, before);
        }
    }

    @Test
    void a_runner_started_from_the_runners_jar_holds_a_whole_interview() throws Exception {
        try (E2eApp e2e = new E2eApp(Map.of())) {
            E2eApp.Reply started = e2e.startSession(e2e.newPosition(), "Barbara");
            String session = started.body().path("session_id").asText();
            long pid = Long.parseLong(e2e.get("/api/sessions/" + session, e2e.adminToken).body().path("runner")
                    .path("id").asText());
            List<String> command = ProcessHandle.of(pid).orElseThrow().info().arguments().map(List::of)
                    .orElseThrow();
            String classPath = command.get(command.indexOf("-cp") + 1);
            assertEquals(APPLICATION_JAR.resolveSibling(RunnerJvm.RUNNERS_JAR).toString(), classPath,
                    "the runner's class path is the runners' jar alone: " + command);
            assertEquals("ai.interviewinsights.app.RunnerMain", command.get(command.indexOf("-cp") + 2));

            e2e.openai.scriptNextCall(FakeOpenAi.list(added("item_a1", null, "assistant"),
                    aiDone("item_a1", "What did you ship last?"), added("item_u1", "item_a1", "user"),
                    userCompleted("item_u1", "A relay that keeps the key off the browser.")));
            try (BrowserClient browser = new BrowserClient(started.body().path("websocket_url").asText())) {
                browser.offerAwaitDurableAndEnd(List.of("item_a1", "item_u1"));
            }
            JsonNode report = Eventually.until("the session completed", () -> e2e.get("/api/sessions/" + session
                    + "/report", e2e.adminToken).body(), r -> "completed".equals(r.path("session").path("status")
                    .asText()));
            List<String> lines = new ArrayList<>();
            report.path("transcript").forEach(e -> lines.add(e.path("speaker").asText() + ": "
                    + e.path("text").asText()));
            assertEquals(List.of("ai: What did you ship last?",
                    "candidate: A relay that keeps the key off the browser."), lines);
            Eventually.until("the runner exits after its interview", Duration.ofSeconds(30),
                    () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    /**
     * The standby pool's class-data archive is the record of a standby that held an interview, never of one drained
     * unclaimed: that one loaded the start's classes only, and every standby mapping its archive would load the
     * socket's, the token check's and the offer's from the jar at the candidate's first offer (measured: ~100 ms
     * against ~40 ms on a cold runner, {@code bash scripts/benchmark --pool}).
     */
    @Test
    void the_pools_archive_is_kept_only_from_a_standby_that_held_an_interview() throws Exception {
        try (E2eApp e2e = new E2eApp(Map.of("RUNNER_POOL_SIZE_HYBRID", "1"))) {
            var pool = e2e.app().standbyRunners().orElseThrow();
            Path folder = e2e.dataDir.resolve("runner-cds-pool");
            var decisions = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
            var archiveLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(RunnerJvm.class);
            decisions.setContext(archiveLog.getLoggerContext());
            decisions.start();
            archiveLog.addAppender(decisions);
            Eventually.until("a standby is ready", Duration.ofSeconds(90),
                    () -> pool.standbyPids(Architecture.HYBRID).size() == 1);
            long drained = pool.standbyPids(Architecture.HYBRID).get(0);
            List<String> command = ProcessHandle.of(drained).orElseThrow().info().arguments().map(List::of)
                    .orElseThrow();
            assertTrue(command.stream().anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit=")
                    || a.startsWith("-XX:AOTMode=record")), "the first standby records: " + command);
            pool.reconfigure(StandbyPoolSizes.off());
            // Its record was made (a SIGTERM runs the JVM's exit and so the record to its end) and not kept.
            Eventually.until("the drained standby's record is thrown away", Duration.ofSeconds(60),
                    () -> !ProcessHandle.of(drained).map(ProcessHandle::isAlive).orElse(false)
                            && records(folder).isEmpty() && decisions.list.stream().anyMatch(e -> e
                            .getFormattedMessage().contains("given no session")));
            assertEquals(List.of(), archives(folder), "a standby drained unclaimed leaves no archive");

            pool.reconfigure(new StandbyPoolSizes(Map.of(Architecture.HYBRID, 1), Map.of()));
            Eventually.until("a standby is ready again", Duration.ofSeconds(90),
                    () -> pool.standbyPids(Architecture.HYBRID).size() == 1);
            long standby = pool.standbyPids(Architecture.HYBRID).get(0);
            E2eApp.Reply started = e2e.startSession(e2e.newPosition(), "Grace");
            e2e.openai.scriptNextCall(FakeOpenAi.list(added("item_a1", null, "assistant"),
                    aiDone("item_a1", "What did you ship last?")));
            try (BrowserClient browser = new BrowserClient(started.body().path("websocket_url").asText())) {
                browser.offerAwaitDurableAndEnd(List.of("item_a1"));
            }
            Eventually.until("the claimed standby exits after its interview", Duration.ofSeconds(30),
                    () -> !ProcessHandle.of(standby).map(ProcessHandle::isAlive).orElse(false));
            Eventually.until("its record is kept as the pool's archive", Duration.ofSeconds(60),
                    () -> archives(folder).size() == 1);
            archiveLog.detachAppender(decisions);
        }
    }

    /** The runners' archives in a folder: a CDS archive (JDK 17-24) or an AOT cache (25 and later). */
    private static List<Path> archives(Path folder) {
        return files(folder, name -> name.endsWith(".jsa") || name.endsWith(".aot"));
    }

    /** Records still being written or dealt with (an archive's ".partial", an AOT configuration beside it). */
    private static List<Path> records(Path folder) {
        return files(folder, name -> name.contains(".partial"));
    }

    private static List<Path> files(Path folder, java.util.function.Predicate<String> name) {
        try (var listed = Files.list(folder)) {
            return listed.filter(f -> name.test(f.getFileName().toString())).toList();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }
}
