package ai.interviewinsights.adapters.flyio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/**
 * A Machines API that remembers: apps and machines live in memory, and it answers in Fly's documented JSON (app and
 * machine objects, error bodies with {@code error} and {@code status}, 404 for what it does not know, 409 for a
 * machine name in use, 408 never: machines start at once). Machines are created {@code created}; a wait for
 * {@code started} starts them. It checks the token on every call and counts destroy calls, so tests can assert
 * exactly which machines a reconciliation removed.
 */
final class FakeFlyServer extends Dispatcher {

    /** A machine as the fake holds it. */
    static final class FakeMachine {
        final String id;
        final String app;
        final String name;
        final String region;
        final ObjectNode config;
        final Instant createdAt;
        String state;

        FakeMachine(String id, String app, String name, String region, ObjectNode config, Instant createdAt,
                    String state) {
            this.id = id;
            this.app = app;
            this.name = name;
            this.region = region;
            this.config = config;
            this.createdAt = createdAt;
            this.state = state;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final String authorization;
    private final String org;
    private final Map<String, String> appOrgs = new LinkedHashMap<>();
    private final Map<String, FakeMachine> machines = new LinkedHashMap<>();
    private final List<String> destroyCalls = new ArrayList<>();
    private final List<String> stopCalls = new ArrayList<>();
    private final Set<String> undeletable = new HashSet<>();
    private long nextId = 0x3d8d9e1f0a1b00L;
    private final Map<String, String> leases = new LinkedHashMap<>();
    private final List<Instant> createTimes = new ArrayList<>();
    private final List<Instant> throttledTimes = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private int createsToThrottle;
    private long retryAfterSeconds;
    private int leaseCounter;

    FakeFlyServer(Clock clock, String authorization, String org) {
        this.clock = clock;
        this.authorization = authorization;
        this.org = org;
    }

    // ---- seeding and inspection

    synchronized void seedApp(String app, String ownerOrg) {
        appOrgs.put(app, ownerOrg);
    }

    /** Adds a machine as if created outside this test's provisioner (a crashed deploy, a hand-made one). */
    synchronized String seedMachine(String app, String name, String state, Map<String, String> metadata,
                                    Instant createdAt) {
        appOrgs.putIfAbsent(app, org);
        ObjectNode config = JSON.createObjectNode().put("image", "registry.fly.io/interview-runner:old");
        if (metadata != null) {
            ObjectNode meta = config.putObject("metadata");
            metadata.forEach(meta::put);
        }
        String id = newId();
        machines.put(id, new FakeMachine(id, app, name, "ams", config, createdAt, state));
        return id;
    }

    /** Ids of machines a DELETE was sent for, in order, whether or not it succeeded. */
    synchronized List<String> destroyCalls() {
        return List.copyOf(destroyCalls);
    }

    /** The stops Fly was asked for, in order: {@code "<machine id> <signal> <timeout>"}. */
    synchronized List<String> stopCalls() {
        return List.copyOf(stopCalls);
    }

    synchronized FakeMachine machine(String id) {
        return machines.get(id);
    }

    /** Machines Fly would list: everything not destroyed. */
    synchronized List<FakeMachine> liveMachines() {
        return machines.values().stream().filter(m -> !"destroyed".equals(m.state)).toList();
    }

    /** Makes DELETE of this machine fail with 503 (Fly having a bad moment) until allowed again. */
    synchronized void refuseDeletesOf(String machineId, boolean refuse) {
        if (refuse) {
            undeletable.add(machineId);
        } else {
            undeletable.remove(machineId);
        }
    }

    /** The next {@code count} machine creates answer 429 with {@code Retry-After: seconds} (Fly's rate limit). */
    synchronized void throttleCreates(int count, long seconds) {
        createsToThrottle = count;
        retryAfterSeconds = seconds;
    }

    /** When each machine create was accepted, and when each was throttled, on the fake's clock. */
    synchronized List<Instant> createTimes() {
        return List.copyOf(createTimes);
    }

    synchronized List<Instant> throttledTimes() {
        return List.copyOf(throttledTimes);
    }

    /** Every call as {@code METHOD /path}, in order. */
    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    synchronized void clearCalls() {
        calls.clear();
    }

    // ---- the API

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
        if (!authorization.equals(request.getHeaders().get("Authorization"))) {
            return error(401, "Authenticate: token validation error", null);
        }
        HttpUrl url = request.getUrl();
        List<String> path = url.pathSegments();
        String method = request.getMethod();
        calls.add(method + " " + url.encodedPath());
        if (path.size() < 2 || !"v1".equals(path.get(0)) || !"apps".equals(path.get(1))) {
            return error(404, "not found", null);
        }
        if (path.size() == 2) {
            return "GET".equals(method) ? listApps(url) : createApp(body(request));
        }
        String app = path.get(2);
        if (path.size() == 3 && "GET".equals(method)) {
            return showApp(app);
        }
        if (!org.equals(appOrgs.get(app))) {
            return error(404, "app not found", null);
        }
        if (path.size() == 4 && "machines".equals(path.get(3))) {
            return "GET".equals(method) ? listMachines(app, url) : createMachine(app, body(request));
        }
        FakeMachine machine = path.size() >= 5 ? machines.get(path.get(4)) : null;
        if (machine == null || !machine.app.equals(app)) {
            return error(404, "machine not found", null);
        }
        if (path.size() == 5) {
            return switch (method) {
                case "GET" -> json(200, machineJson(machine));
                case "DELETE" -> destroy(machine);
                case "POST" -> update(machine, body(request), request.getHeaders().get("fly-machine-lease-nonce"));
                default -> error(405, "method not allowed", null);
            };
        }
        return switch (path.get(5)) {
            case "wait" -> "stopped".equals(url.queryParameter("state")) && url.queryParameter("instance_id") == null
                    ? error(400, "instance_id is required to wait for the stopped state", null)
                    : waitFor(machine, url.queryParameter("state"));
            case "start" -> start(machine);
            case "stop" -> stop(machine, body(request));
            case "lease" -> "DELETE".equals(method) ? release(machine, request.getHeaders().get(
                    "fly-machine-lease-nonce")) : lease(machine);
            default -> error(404, "not found", null);
        };
    }

    private MockResponse listApps(HttpUrl url) {
        String slug = url.queryParameter("org_slug");
        ObjectNode out = JSON.createObjectNode();
        ArrayNode apps = out.putArray("apps");
        appOrgs.forEach((name, owner) -> {
            if (owner.equals(slug)) {
                apps.addObject().put("id", "id-" + name).put("name", name).put("machine_count",
                        machines.values().stream().filter(m -> m.app.equals(name)).count());
            }
        });
        out.put("total_apps", apps.size());
        return json(200, out);
    }

    private MockResponse createApp(JsonNode body) {
        String name = body.path("app_name").asText();
        if (appOrgs.containsKey(name)) {
            return error(422, "Name has already been taken", null);
        }
        appOrgs.put(name, body.path("org_slug").asText());
        return json(201, JSON.createObjectNode().put("id", "id-" + name).put("created_at",
                clock.instant().toEpochMilli()));
    }

    private MockResponse showApp(String app) {
        String owner = appOrgs.get(app);
        if (owner == null) {
            return error(404, "Could not find App", null);
        }
        if (!owner.equals(org)) {
            return error(403, "unauthorized", null);
        }
        ObjectNode out = JSON.createObjectNode().put("id", "id-" + app).put("name", app).put("status", "deployed");
        out.putObject("organization").put("name", org).put("slug", org);
        return json(200, out);
    }

    private MockResponse listMachines(String app, HttpUrl url) {
        boolean includeDeleted = "true".equals(url.queryParameter("include_deleted"));
        ArrayNode out = JSON.createArrayNode();
        for (FakeMachine machine : machines.values()) {
            if (!machine.app.equals(app) || "destroyed".equals(machine.state) && !includeDeleted
                    || !matchesMetadata(machine, url)) {
                continue;
            }
            out.add(machineJson(machine));
        }
        return json(200, out);
    }

    private static boolean matchesMetadata(FakeMachine machine, HttpUrl url) {
        for (String name : url.queryParameterNames()) {
            if (name.startsWith("metadata.")) {
                String wanted = url.queryParameter(name);
                if (!wanted.equals(machine.config.path("metadata").path(name.substring(9)).asText(null))) {
                    return false;
                }
            }
        }
        return true;
    }

    private MockResponse createMachine(String app, JsonNode body) {
        if (createsToThrottle > 0) {
            createsToThrottle--;
            throttledTimes.add(clock.instant());
            return new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
                    .addHeader("Retry-After", Long.toString(retryAfterSeconds))
                    .addHeader("fly-request-id", "01FAKE429")
                    .body("{\"error\":\"rate limit exceeded\"}").build();
        }
        createTimes.add(clock.instant());
        String name = body.path("name").asText();
        boolean taken = machines.values().stream()
                .anyMatch(m -> m.app.equals(app) && m.name.equals(name) && !"destroyed".equals(m.state));
        if (taken) {
            return error(409, "machine name " + name + " is already in use", "name_taken");
        }
        if (!body.path("config").hasNonNull("image")) {
            return error(422, "config.image is required", null);
        }
        String id = newId();
        // skip_launch: created and left so; otherwise created too, and the wait for started starts it.
        FakeMachine machine = new FakeMachine(id, app, name, body.path("region").asText("ams"),
                (ObjectNode) body.path("config").deepCopy(), clock.instant(), "created");
        machines.put(id, machine);
        return json(200, machineJson(machine));
    }

    /** {@code POST .../{id}/lease}: one holder at a time (leases never expire in this fake). */
    private MockResponse lease(FakeMachine machine) {
        if (leases.containsKey(machine.id)) {
            return error(409, "lease currently held", null);
        }
        String nonce = "nonce-" + (++leaseCounter);
        leases.put(machine.id, nonce);
        return json(201, JSON.createObjectNode().put("status", "success").set("data",
                JSON.createObjectNode().put("nonce", nonce).put("expires_at", 1_900_000_000L)
                        .put("owner", "token@example.com")));
    }

    /** {@code DELETE .../{id}/lease}: only with the holder's nonce. */
    private MockResponse release(FakeMachine machine, String nonce) {
        String held = leases.get(machine.id);
        if (held == null) {
            return error(404, "no lease", null);
        }
        if (!held.equals(nonce)) {
            return error(409, "lease held by another", null);
        }
        leases.remove(machine.id);
        return json(200, JSON.createObjectNode().put("ok", true));
    }

    /** Whether a machine is leased now. */
    synchronized boolean leased(String machineId) {
        return leases.containsKey(machineId);
    }

    /** {@code POST .../{id}}: the new config; Fly recreates the machine and, without skip_launch, starts it. */
    private MockResponse update(FakeMachine machine, JsonNode body, String nonce) {
        String held = leases.get(machine.id);
        if (held != null && !held.equals(nonce)) {
            return error(409, "machine is leased; send its nonce", null);
        }
        if (!body.path("config").hasNonNull("image")) {
            return error(400, "config.image is required", null);
        }
        machine.config.removeAll();
        machine.config.setAll((ObjectNode) body.path("config").deepCopy());
        if (!body.path("skip_launch").asBoolean(false)) {
            machine.state = "started";
        }
        return json(200, machineJson(machine));
    }

    private MockResponse waitFor(FakeMachine machine, String state) {
        if ("destroyed".equals(machine.state)) {
            return error(400, "machine is destroyed", null);
        }
        if ("started".equals(state)) {
            machine.state = "started";
        }
        if ("stopped".equals(state) && !"stopped".equals(machine.state)) {
            return error(408, "deadline_exceeded: machine did not reach the stopped state", null);
        }
        return json(200, JSON.createObjectNode().put("ok", true));
    }

    /** {@code POST .../stop}: a started machine is signalled and stops (at once, here); any other is refused. */
    private MockResponse stop(FakeMachine machine, JsonNode body) {
        stopCalls.add(machine.id + " " + body.path("signal").asText("SIGINT") + " " + body.path("timeout").asText(""));
        if (!"started".equals(machine.state)) {
            return error(409, "unable to stop machine, not currently started", null);
        }
        machine.state = "stopped";
        return json(200, JSON.createObjectNode().put("ok", true));
    }

    private MockResponse start(FakeMachine machine) {
        String previous = machine.state;
        machine.state = "started";
        return json(200, JSON.createObjectNode().put("status", "started").put("previous_state", previous));
    }

    private MockResponse destroy(FakeMachine machine) {
        destroyCalls.add(machine.id);
        if (undeletable.contains(machine.id)) {
            return error(503, "service unavailable", null);
        }
        if ("destroyed".equals(machine.state)) {
            return error(404, "machine not found", null);
        }
        machine.state = "destroyed";
        return json(200, JSON.createObjectNode().put("ok", true));
    }

    // ---- wire helpers

    private String newId() {
        return Long.toHexString(nextId++);
    }

    private ObjectNode machineJson(FakeMachine machine) {
        ObjectNode out = JSON.createObjectNode()
                .put("id", machine.id).put("name", machine.name).put("state", machine.state)
                .put("region", machine.region).put("instance_id", "01INST" + machine.id)
                .put("private_ip", "fdaa:0:1::" + machine.id.substring(10))
                .put("created_at", machine.createdAt.toString()).put("updated_at", clock.instant().toString());
        out.set("config", machine.config.deepCopy());
        return out;
    }

    private static JsonNode body(RecordedRequest request) {
        try {
            return request.getBody() == null ? JSON.createObjectNode() : JSON.readTree(request.getBody().utf8());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MockResponse json(int code, JsonNode body) {
        return new MockResponse.Builder().code(code)
                .addHeader("Content-Type", "application/json")
                .addHeader("fly-request-id", "01FAKE" + code)
                .body(body.toString())
                .build();
    }

    private static MockResponse error(int code, String message, String status) {
        ObjectNode body = JSON.createObjectNode().put("error", message);
        if (status != null) {
            body.put("status", status);
        }
        return json(code, body);
    }
}
