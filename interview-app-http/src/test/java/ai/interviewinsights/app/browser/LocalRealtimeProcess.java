package ai.interviewinsights.app.browser;

import ai.interviewinsights.adapters.openai.local.LocalRealtime;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The local realtime endpoint in a child JVM. Its WebRTC stack is native code: should it abort, only this child dies
 * and the test fails saying so, instead of the test JVM (and every test after it) going down.
 */
final class LocalRealtimeProcess implements AutoCloseable {

    private static final String READY = "LOCAL_REALTIME_READY ";

    private final Process process;
    private final Path log;
    private final String baseUrl;

    private LocalRealtimeProcess(Process process, Path log, String baseUrl) {
        this.process = process;
        this.log = log;
        this.baseUrl = baseUrl;
    }

    /** Runs in the child: starts the endpoint, says where, and lives until its stdin closes. */
    public static void main(String[] args) throws Exception {
        try (LocalRealtime local = LocalRealtime.start(LocalRealtime.Options.defaults().withApiKey(args[0]))) {
            System.out.println(READY + local.baseUrl());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to go away
            }
        }
    }

    static LocalRealtimeProcess start(String apiKey) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = Files.createTempFile("local-realtime-", ".log");
        Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                LocalRealtimeProcess.class.getName(), apiKey)).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        String line;
        while ((line = out.readLine()) != null && Instant.now().isBefore(deadline)) {
            if (line.startsWith(READY)) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe empty
                        }
                    } catch (IOException e) {
                        // the child is gone
                    }
                }, "local-realtime-stdout");
                drain.setDaemon(true);
                drain.start();
                return new LocalRealtimeProcess(process, log, line.substring(READY.length()).strip());
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the local realtime endpoint did not start:\n" + tail(log));
    }

    String baseUrl() {
        return baseUrl;
    }

    /** Null while the child runs; otherwise how it ended and the end of what it wrote to stderr. */
    String crash() {
        if (process.isAlive()) {
            return null;
        }
        return "the local realtime endpoint exited with " + process.exitValue() + ":\n" + tail(log);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", new ArrayList<>(lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        Files.deleteIfExists(log);
    }
}
