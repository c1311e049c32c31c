package ai.interviewinsights.app.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.ControlPlaneApp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A write the app acknowledged is still there after the app is killed with SIGKILL - and, harder, after its
 * embedded PostgreSQL and every backend are killed the same way, as a crash of the machine would leave them
 * (crash recovery replays the WAL that synchronous commit flushed before the 201 went out).
 */
class EmbeddedDatabaseCrashTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void an_acknowledged_write_survives_kill_minus_9_of_the_app_and_its_database() throws Exception {
        Path dataDir = Files.createTempDirectory("ii-crash-");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "ai.interviewinsights.app.Main").redirectErrorStream(true);
        builder.environment().putAll(Map.of("PORT", String.valueOf(port), "HOST", "127.0.0.1",
                "DATA_DIR", dataDir.toString(), "LOG_FORMAT", "text"));
        Process app = builder.start();
        String token;
        try {
            token = adminTokenFrom(app).get(180, TimeUnit.SECONDS);
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/positions"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"Durable Engineer\",\"competencies\":"
                            + "[{\"name\":\"Crash safety\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
        } finally {
            killEverything(app, dataDir.resolve("postgres"));
        }

        try (ControlPlaneApp restarted = ControlPlaneApp.start(Map.of("PORT", "0", "HOST", "127.0.0.1",
                "DATA_DIR", dataDir.toString(), "LOG_FORMAT", "text"))) {
            HttpResponse<String> listed = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + restarted.port() + "/api/positions"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, listed.statusCode(), listed.body());
            assertTrue(listed.body().contains("Durable Engineer"), listed.body());
        }
    }

    /** SIGKILL to the app, the postmaster and every backend, then waits until all of them are gone. */
    private static void killEverything(Process app, Path pgData) throws Exception {
        List<ProcessHandle> victims = new ArrayList<>();
        victims.add(app.toHandle());
        Path pidFile = pgData.resolve("postmaster.pid");
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
            ProcessHandle.of(pid).ifPresent(postmaster -> {
                victims.add(postmaster);
                postmaster.descendants().forEach(victims::add);
            });
        }
        victims.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (victims.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(victims.stream().noneMatch(ProcessHandle::isAlive), "the killed processes are gone");
        assertTrue(victims.size() >= 3, "the app, the postmaster and its backends were killed: " + victims.size());
    }

    private static CompletableFuture<String> adminTokenFrom(Process app) {
        // Not closed here: the reader keeps draining the child's output so that it never blocks on a full pipe.
        BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> {
            try {
                boolean next = false;
                for (String line; (line = out.readLine()) != null; ) {
                    if (next && line.strip().startsWith("eyJ")) {
                        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "crash-test-drain");
                        drain.setDaemon(true);
                        drain.start();
                        return line.strip();
                    }
                    next |= line.startsWith("Admin access token");
                }
                throw new IllegalStateException("the app exited before printing its admin token");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
