package ai.interviewinsights.app.e2e;

import ai.interviewinsights.app.Main;
import ai.interviewinsights.app.web.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Fly's Machines API, and a Fly that really runs machines: creating a machine starts the runner process from the
 * machine config it was given (image aside: this JVM's class path), with the tenant app's secrets (OpenAI) added as
 * Fly would, on a free loopback port that doubles as the machine id. {@code wait}, list and destroy behave as Fly's.
 */
public final class FakeFly extends Dispatcher implements AutoCloseable {

    static final String TOKEN = "fm2_fly-e2e-token-0123456789abcdef";

    final MockWebServer server = new MockWebServer();
    private final ObjectMapper json = Json.mapper();
    private final Map<String, String> appSecrets = new ConcurrentHashMap<>();
    private final Map<String, Boolean> apps = new ConcurrentHashMap<>();
    private final Map<String, Machine> machines = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<JsonNode> createdConfigs = new CopyOnWriteArrayList<>();
    /** The stops asked for, in order: {@code "<machine id> <signal> <timeout>"}. */
    final List<String> stops = new CopyOnWriteArrayList<>();

    private record Machine(String id, String app, String name, JsonNode metadata, Process process,
                           CountDownLatch listening, Instant createdAt) {
    }

    FakeFly() throws Exception {
        server.setDispatcher(this);
        server.start();
    }

    /** The tenant apps' secrets (Fly injects them into every machine). */
    void secrets(Map<String, String> secrets) {
        appSecrets.putAll(secrets);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getPort();
    }

    boolean running(String machineId) {
        Machine machine = machines.get(machineId);
        return machine != null && machine.process().isAlive();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        String path = request.getUrl().encodedPath();
        String method = request.getMethod();
        calls.add(method + " " + path);
        if (!("FlyV1 " + TOKEN).equals(request.getHeaders().get("Authorization"))) {
            return json(401, Map.of("error", "unauthorized"));
        }
        String[] p = path.split("/");
        try {
            if (path.equals("/v1/apps") && method.equals("POST")) {
                String name = json.readTree(request.getBody().utf8()).path("app_name").asText();
                apps.put(name, true);
                return json(201, Map.of("id", name, "created_at", 1));
            }
            if (path.equals("/v1/apps") && method.equals("GET")) {
                return json(200, Map.of("total_apps", apps.size(), "apps", apps.keySet().stream()
                        .map(a -> Map.of("id", a, "name", a, "machine_count", 0)).toList()));
            }
            if (p.length == 4 && method.equals("GET")) {
                return apps.containsKey(p[3]) ? json(200, Map.of("id", p[3], "name", p[3], "status", "deployed",
                        "organization", Map.of("name", "E2E", "slug", "e2e-org")))
                        : json(404, Map.of("error", "Could not find App"));
            }
            if (p.length == 5 && p[4].equals("machines") && method.equals("GET")) {
                String session = request.getUrl().queryParameter("metadata.session_id");
                return json(200, machines.values().stream().filter(m -> m.app().equals(p[3]))
                        .filter(m -> m.process().isAlive())
                        .filter(m -> session == null || session.equals(m.metadata().path("session_id").asText()))
                        .map(this::view).toList());
            }
            if (p.length == 5 && p[4].equals("machines") && method.equals("POST")) {
                return create(p[3], json.readTree(request.getBody().utf8()));
            }
            if (p.length == 7 && p[6].equals("wait")) {
                Machine machine = machines.get(p[5]);
                if (machine == null) {
                    return json(404, Map.of("error", "machine not found"));
                }
                long timeout = Long.parseLong(request.getUrl().queryParameter("timeout"));
                if ("stopped".equals(request.getUrl().queryParameter("state"))) {
                    return machine.process().waitFor(timeout, TimeUnit.SECONDS) ? json(200, Map.of("ok", true))
                            : json(408, Map.of("error", "deadline_exceeded"));
                }
                return machine.listening().await(timeout, TimeUnit.SECONDS) ? json(200, Map.of("ok", true))
                        : json(408, Map.of("error", "deadline_exceeded"));
            }
            if (p.length == 7 && p[6].equals("stop") && method.equals("POST")) {
                // As Fly does: the signal asked for (SIGTERM: the runner's goodbye), a kill after the timeout.
                Machine machine = machines.get(p[5]);
                if (machine == null) {
                    return json(404, Map.of("error", "machine not found"));
                }
                JsonNode stop = json.readTree(request.getBody().utf8());
                stops.add(machine.id() + " " + stop.path("signal").asText() + " " + stop.path("timeout").asText());
                machine.process().destroy();
                long grace = Long.parseLong(stop.path("timeout").asText("5s").replace("s", ""));
                Thread killer = new Thread(() -> {
                    try {
                        if (!machine.process().waitFor(grace, TimeUnit.SECONDS)) {
                            machine.process().destroyForcibly();
                        }
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                }, "fake-fly-stop");
                killer.setDaemon(true);
                killer.start();
                return json(200, Map.of("ok", true));
            }
            if (p.length == 6 && method.equals("GET")) {
                Machine machine = machines.get(p[5]);
                return machine == null ? json(404, Map.of("error", "machine not found")) : json(200, view(machine));
            }
            if (p.length == 6 && method.equals("DELETE")) {
                Machine machine = machines.remove(p[5]);
                if (machine == null) {
                    return json(404, Map.of("error", "machine not found"));
                }
                machine.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return json(200, Map.of("ok", true));
            }
        } catch (Exception e) {
            return json(500, Map.of("error", e.toString()));
        }
        return json(404, Map.of("error", "not found: " + method + " " + path));
    }

    private MockResponse create(String app, JsonNode body) throws Exception {
        createdConfigs.add(body);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx192m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        body.path("config").path("env").fields().forEachRemaining(e -> builder.environment().put(e.getKey(),
                e.getValue().asText()));
        builder.environment().putAll(appSecrets); // Fly puts the tenant app's secrets in every machine
        builder.environment().put("HOST", "127.0.0.1");
        builder.environment().put("PORT", Integer.toString(port));
        Process process = builder.start();
        CountDownLatch listening = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.contains("RUNNER_LISTENING")) {
                        listening.countDown();
                    }
                }
            } catch (Exception ignored) {
                // the machine went away
            }
        });
        reader.setDaemon(true);
        reader.start();
        String id = Integer.toString(port);
        Machine machine = new Machine(id, app, body.path("name").asText(), body.path("config").path("metadata"),
                process, listening, Instant.now());
        machines.put(id, machine);
        return json(200, view(machine));
    }

    private Map<String, Object> view(Machine machine) {
        return Map.of("id", machine.id(), "name", machine.name(), "state", machine.process().isAlive()
                        ? (machine.listening().getCount() == 0 ? "started" : "starting") : "destroyed",
                "region", "iad", "instance_id", "01E2E" + machine.id(), "config",
                Map.of("metadata", json.convertValue(machine.metadata(), Map.class)),
                "created_at", machine.createdAt().toString());
    }

    private MockResponse json(int code, Object body) {
        try {
            return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
                    .addHeader("fly-request-id", "01E2E-" + System.nanoTime()).body(json.writeValueAsString(body))
                    .build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        machines.values().forEach(m -> m.process().destroyForcibly());
        try {
            server.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
