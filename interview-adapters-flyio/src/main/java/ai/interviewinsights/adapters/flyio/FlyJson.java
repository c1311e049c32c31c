package ai.interviewinsights.adapters.flyio;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;

/**
 * The Machines API's JSON, only the fields this adapter sends or reads. Fly's field names are snake_case; unknown
 * fields are ignored because Fly adds to its replies freely.
 */
final class FlyJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                    JsonInclude.Include.USE_DEFAULTS))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private FlyJson() {
    }

    static String write(Object body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + body.getClass().getSimpleName(), e);
        }
    }

    /** Parses a successful reply; a reply that is not the documented JSON is Fly's failure, not ours. */
    static <T> T read(FlyResponse response, Class<T> type) {
        try {
            T value = MAPPER.readValue(response.body(), type);
            if (value == null) {
                throw new IllegalArgumentException("empty body");
            }
            return value;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new DomainException(ErrorKind.UPSTREAM_FAILED, "fly.malformed_response",
                    "Fly answered " + response.call() + " with a body that is not the documented JSON"
                            + response.requestIdSuffix(), false, null);
        }
    }

    static List<Machine> readMachines(FlyResponse response) {
        return List.of(read(response, Machine[].class));
    }

    // ---- requests

    /** {@code POST /v1/apps}. */
    record CreateApp(String appName, String orgSlug, String network) {
    }

    /** {@code POST /v1/apps/{app}/machines}. */
    record CreateMachine(String name, String region, MachineConfig config) {
    }

    /** Its {@code env} holds the session's tokens, so its {@code toString()} names the variables only. */
    /** {@code POST /v1/apps/{app}/machines} for a standby: created, never launched until claimed (ADR 0020). */
    record CreateStandby(String name, String region, MachineConfig config, boolean skipLaunch) {
    }

    /** {@code POST /v1/apps/{app}/machines/{id}}: the full new config; Fly recreates the machine and starts it. */
    record UpdateMachine(MachineConfig config) {
    }

    /** {@code POST .../{id}/lease}. */
    record LeaseRequest(int ttl, String description) {
    }

    /** {@code POST .../{id}/stop}: the signal, and how long before Fly kills (a Go duration: {@code "5s"}). */
    record StopRequest(String signal, String timeout) {
    }

    /** A lease, flat or wrapped in {@code {"status": "success", "data": {...}}} (Fly's docs and fly-go differ). */
    record Lease(String nonce, Object expiresAt, String owner, String status, LeaseData data) {

        String theNonce() {
            return nonce != null ? nonce : data == null ? null : data.nonce();
        }
    }

    record LeaseData(String nonce, Object expiresAt, String owner) {
    }

    record MachineConfig(String image, Map<String, String> env, Map<String, String> metadata, Guest guest,
                         boolean autoDestroy, Restart restart, List<Service> services) {

        @Override
        public String toString() {
            return "MachineConfig[image=" + image + ", env=" + env.keySet() + ", metadata=" + metadata + "]";
        }
    }

    record Guest(String cpuKind, int cpus, int memoryMb) {
    }

    record Restart(String policy) {
    }

    record Service(String protocol, int internalPort, List<Port> ports, Boolean autostop, Boolean autostart) {
    }

    record Port(int port, List<String> handlers, Boolean forceHttps) {
    }

    // ---- replies

    /** {@code GET /v1/apps/{app}}. */
    record App(String id, String name, String status, Organization organization) {
    }

    record Organization(String name, String slug) {
    }

    /** {@code GET /v1/apps?org_slug=}. */
    record AppList(List<ListedApp> apps, Integer totalApps) {
    }

    record ListedApp(String id, String name, Integer machineCount) {
    }

    /** A machine as Fly describes it; {@code config} may be absent on machines being destroyed. */
    record Machine(String id, String name, String state, String region, String instanceId, MachineView config,
                   String createdAt, String updatedAt) {

        Map<String, String> metadata() {
            return config == null || config.metadata() == null ? Map.of() : config.metadata();
        }
    }

    record MachineView(String image, Map<String, String> metadata) {
    }

    /** Fly's error body: {@code {"error": "...", "status": "insufficient_capacity"}}, sometimes {@code message}. */
    record ErrorBody(String error, String status, String message) {
    }
}
