package ai.interviewinsights.app.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The threads of a real runner process at rest (issue 16, goal 3): a hybrid runner started as the provisioner starts
 * it ({@link RunnerJvm#FLAGS}, runner mode, its control plane and OpenAI on loopback: a MockWebServer answering the
 * assignment and the API root), once it has reported READY and finished what it does after READY (the relay
 * warm-up). Its threads are read by name from {@code /proc} (the names Linux keeps, cut to 15 characters).
 *
 * <p>What may run at rest is listed: the JVM's own, the launcher's, Jetty's one selector, the runner's one timer
 * (Jetty's scheduler too), and OkHttp's shared clean-up (its connection-pool task runner and Okio's timeout
 * watchdog, which end a minute or so after the last connection closed). Anything else - a per-call or
 * per-connection pool, a second scheduler, a second compiler thread, a sideband or writer thread - fails the test,
 * as does more than twelve threads besides OkHttp's clean-up and the launcher's own.
 *
 * <p>The same runner's class-load log holds what its start no longer loads (issue 16, goal 2): logback's XML
 * configuration and the JDK's XML parser, and JMX.
 */
@EnabledOnOs(OS.LINUX)
class RunnerIdleThreadsTest {

    /** The JVM's own threads and the launcher's (the primordial thread and the main thread are both "java"). */
    private static final List<String> JVM = List.of("Reference Handl", "Finalizer", "Signal Dispatch",
            "Service Thread", "Monitor Deflati", "C1 CompilerThre", "Common-Cleaner", "VM Thread", "VM Periodic Tas",
            "java", "main", "DestroyJavaVM");
    /** OkHttp's process-wide clean-up: not per call or connection, and gone a minute after the last connection. */
    private static final List<String> OKHTTP_CLEAN_UP = List.of("OkHttp TaskRunn", "OkHttp Connecti",
            "Okio Watchdog");
    /** Ours at rest: Jetty's selector (a pooled thread that also accepts) and the runner's one timer. */
    private static final Predicate<String> OURS = name -> name.startsWith("runner-http-")
            || name.equals("runner-schedule");
    /** Threads of the start that end with it. */
    private static final List<String> TRANSIENT = List.of("runner-warm-up", "runner-prepare", "runner-primer");

    @TempDir
    Path folder;

    private final MockWebServer fakes = new MockWebServer();
    private Process runner;

    @AfterEach
    void stop() throws Exception {
        if (runner != null) {
            runner.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        fakes.close();
    }

    @Test
    void an_idle_runner_keeps_no_pool_or_per_call_thread_and_at_most_twelve_of_its_own() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        startRunner("text", List.of(), deadline);
        // What runs after READY (the relay warm-up) ends by itself; the runner is at rest after that.
        Map<String, Integer> threads = threads(runner.pid());
        while (TRANSIENT.stream().anyMatch(threads::containsKey)) {
            assertTrue(System.nanoTime() < deadline, "the start's threads did not end: " + threads);
            Thread.sleep(50);
            threads = threads(runner.pid());
        }
        assertTrue(fakes.getRequestCount() >= 1, "the runner learnt its assignment from the fake control plane");

        assertAtRest(threads);
    }

    /**
     * Holds a runner's threads at rest to goal 3 (a standby's too): none beyond the JVM's, the launcher's, Jetty's
     * selector (and at most one spare), the runner's one timer and OkHttp's shared clean-up; one compiler thread; at
     * most twelve in all, besides OkHttp's clean-up and the launcher's own.
     */
    static void assertAtRest(Map<String, Integer> threads) {
        List<String> unexpected = new ArrayList<>();
        int own = 0;
        int launcher = 0;
        for (Map.Entry<String, Integer> thread : threads.entrySet()) {
            String name = thread.getKey();
            if (name.equals("java")) {
                launcher = thread.getValue(); // the launcher's primordial thread, and main (renamed only in Java)
            } else if (JVM.contains(name) || OURS.test(name)) {
                own += thread.getValue();
            } else if (!OKHTTP_CLEAN_UP.contains(name)) {
                unexpected.add(name + " x" + thread.getValue());
            }
        }
        assertEquals(List.of(), unexpected, "threads an idle runner must not keep: " + threads);
        assertEquals(1, threads.getOrDefault("C1 CompilerThre", 0), "one compiler thread: " + threads);
        assertTrue(threads.entrySet().stream().filter(t -> t.getKey().startsWith("runner-http-"))
                .mapToInt(Map.Entry::getValue).sum() <= 2, "Jetty keeps its selector (and at most one spare) at rest: "
                + threads);
        assertTrue(launcher <= 2, "the launcher's thread and main: " + threads);
        // The JVM's and ours, main included (a thread dump's count): at most twelve.
        assertTrue(own + Math.min(launcher, 1) <= 12, own + Math.min(launcher, 1) + " threads at rest: " + threads);
    }

    /**
     * Starts a runner as the provisioner does (its flags, runner mode) against the fakes, with {@code extraFlags},
     * and waits for its READY line; returns the file its output goes to.
     */
    private Path startRunner(String logFormat, List<String> extraFlags, long deadline) throws Exception {
        fakes.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                MockResponse.Builder reply = new MockResponse.Builder().addHeader("Content-Type", "application/json");
                if (path.equals("/internal/runner/assignment")) {
                    return reply.code(200).body("{\"status\":\"ready\",\"stored_entries\":0,\"deadline\":null,"
                            + "\"realtime\":{\"instructions\":\"Be brief.\",\"voice\":\"marin\",\"model\":"
                            + "\"gpt-realtime\",\"transcription_model\":\"gpt-4o-transcribe\","
                            + "\"transcription_language\":\"en\",\"max_duration_seconds\":1800,"
                            + "\"safety_identifier\":\"idle-test\"}}").build();
                }
                // OpenAI's API root without a key (the relay warm-up's connection probe).
                return reply.code(404).body("{\"error\":{\"message\":\"not found\"}}").build();
            }
        });
        fakes.start();
        String base = "http://127.0.0.1:" + fakes.getPort();

        List<String> command = RunnerJvm.forThisApplication(Main.class.getName(), extraFlags, null).next().command();
        assertTrue(command.containsAll(RunnerJvm.FLAGS), command.toString());
        Path output = folder.resolve("runner.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.put("INTERVIEW_MODE", "runner");
        env.put("HOST", "127.0.0.1");
        env.put("PORT", "0");
        env.put("LOG_FORMAT", logFormat);
        env.put("SESSION_ID", UUID.randomUUID().toString());
        env.put("TENANT_ID", UUID.randomUUID().toString());
        env.put("RUNNER_TOKEN", "idle-test-runner-token");
        env.put("CLIENT_TOKEN_KEY", "idle-test-client-token-key-0123456789abcdef");
        env.put("CONTROL_PLANE_URL", base);
        env.put("OPENAI_API_KEY", "sk-idle-test");
        env.put("OPENAI_BASE_URL", base);
        env.put("MALLOC_ARENA_MAX", "2");
        runner = builder.start();

        while (!Files.readString(output).contains(LocalProcessRunnerProvisioner.READY_LINE)) {
            assertTrue(runner.isAlive(), "the runner exited: " + Files.readString(output));
            assertTrue(System.nanoTime() < deadline, "no READY within 90 s: " + Files.readString(output));
            Thread.sleep(20);
        }
        return output;
    }

    /**
     * Before READY a runner loads the classes of its work, not of its set-up (issue 16, goal 2; ADR 0024): logging
     * is configured in code (no Joran, no XML parser), Jetty is told that references are compressed (no JMX), and
     * its server is Jetty's own, without Javalin or a servlet container (ADR 0027).
     * Its log lines are still the JSON objects the log pipelines read.
     */
    @Test
    void a_runner_reads_no_xml_starts_no_jmx_nor_servlets_and_still_logs_json_lines() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Path classes = folder.resolve("classes.log");
        Path output = startRunner("json", List.of("-Xlog:class+load=info:file=" + classes), deadline);
        while (TRANSIENT.stream().anyMatch(threads(runner.pid())::containsKey)) {
            assertTrue(System.nanoTime() < deadline, "the start's threads did not end");
            Thread.sleep(50);
        }
        // What a runner serves, served once before it stops, so that its classes are in the log too: its health, an
        // unknown route's problem document, and a browser's WebSocket (refused: the token is wrong).
        String ready = Files.readAllLines(output).stream().filter(l -> l.startsWith(
                LocalProcessRunnerProvisioner.READY_LINE)).findFirst().orElseThrow();
        String at = "127.0.0.1:" + ready.substring(LocalProcessRunnerProvisioner.READY_LINE.length()).trim();
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        assertEquals(200, client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + at
                + "/health")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(404, client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + at
                + "/nothing")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
        java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();
        client.newWebSocketBuilder().buildAsync(java.net.URI.create("ws://" + at + "/ws?session=x&tenant=y&token=z"),
                new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket ws, int code,
                                                                           String reason) {
                        closed.complete(code);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        assertEquals(1008, closed.get(10, TimeUnit.SECONDS));
        runner.destroy();
        assertTrue(runner.waitFor(20, TimeUnit.SECONDS), "the runner stops on SIGTERM");

        List<String> loaded = Files.readAllLines(classes);
        assertTrue(loaded.size() > 1000, "the class-load log was written: " + loaded.size());
        List<String> setUp = loaded.stream().filter(line -> line.contains(" ch.qos.logback.classic.joran.")
                || line.contains(" ch.qos.logback.core.joran.event.") || line.contains(" javax.xml.parsers.")
                || line.contains(" org.xml.sax.") || line.contains(" com.sun.org.apache.xerces.")
                || line.contains(" javax.management.") || line.contains(" java.lang.management.")).toList();
        assertEquals(List.of(), setUp, "classes of logback's XML configuration or of JMX were loaded");
        // A runner serves on Jetty alone (ADR 0027): none of Javalin, the servlet API or Jetty's servlet layer.
        List<String> servlets = loaded.stream().filter(line -> line.contains(" io.javalin.")
                || line.contains(" jakarta.servlet.") || line.contains(" org.eclipse.jetty.ee10.")
                || line.contains(" org.eclipse.jetty.session.")).toList();
        assertEquals(List.of(), servlets, "classes of Javalin or of a servlet container were loaded");

        String listening = Files.readAllLines(output).stream().filter(l -> l.contains("listening on port"))
                .findFirst().orElseThrow(() -> new AssertionError("no log line about the port: " + output));
        com.fasterxml.jackson.databind.JsonNode line = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(listening);
        List<String> fields = new ArrayList<>();
        line.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("time", "message", "logger_name", "thread_name", "level"), fields, listening);
        assertEquals("INFO", line.path("level").asText());
        assertEquals("main", line.path("thread_name").asText());
    }

    /** The process's threads by name ({@code /proc/<pid>/task/<tid>/comm}) and how many carry each name. */
    static Map<String, Integer> threads(long pid) throws IOException {
        Map<String, Integer> names = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    names.merge(Files.readString(task.resolve("comm")).strip(), 1, Integer::sum);
                } catch (IOException gone) {
                    // the thread ended while we looked
                }
            }
        }
        return names;
    }
}
