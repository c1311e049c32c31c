package ai.interviewinsights.adapters.flyio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.interview.Architecture;
import ai.interviewinsights.domain.model.runner.RunnerSpec;
import ai.interviewinsights.domain.testing.MutableClock;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.QueueDispatcher;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;

/** Shared fixtures of the adapter's tests: a config pointed at a MockWebServer, a fixed spec, JSON assertions. */
final class FlyTestSupport {

    /** A macaroon-style token, so requests must carry {@code FlyV1}. Recognisable for the log-capture test. */
    static final String TOKEN = "fm2_lJPECAAAAAAAAMTESTTOKEN-never-log-me-7f3a";
    static final String AUTHORIZATION = "FlyV1 " + TOKEN;
    static final String ORG = "acme-hiring";
    static final String IMAGE = "registry.fly.io/interview-runner:test";
    static final URI CONTROL_PLANE = URI.create("https://control.example.test");

    static final TenantId TENANT = TenantId.of("11111111-1111-4111-8111-111111111111");
    static final SessionId SESSION = SessionId.of("a1b2c3d4-0000-4000-8000-000000000001");
    static final String APP = "interviews-11111111-1111-4111-8111-111111111111";
    static final String NAME = "interview-hybrid-11111111-1111-4111-8111-111111111111-a1b2c3d4";
    static final String RUNNER_TOKEN = "runner-token-SECRET-9c1e";
    static final String CLIENT_KEY = "client-key-SECRET-44ab";

    private static final ObjectMapper JSON = new ObjectMapper();

    private FlyTestSupport() {
    }

    static RunnerSpec spec() {
        return new RunnerSpec(SESSION, TENANT, CandidateId.of("c0000000-0000-4000-8000-000000000002"),
                PositionId.of("b0000000-0000-4000-8000-000000000003"), Architecture.HYBRID, Secret.of(RUNNER_TOKEN),
                Secret.of(CLIENT_KEY), Duration.ofMinutes(30));
    }

    /** Production defaults, except tiny retry delays so that retried calls cost milliseconds. */
    static FlyConfig.Builder config(MockWebServer server) {
        return FlyConfig.builder(Secret.of(TOKEN), ORG, IMAGE, CONTROL_PLANE)
                .baseUrl(server.url("/").uri())
                .regions("ams", "fra")
                .retry(new FlyConfig.Retry(3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(2)));
    }

    static FlyMachinesProvisioner provisioner(FlyConfig config, Clock clock) {
        return FlyRunners.create(config, clock, new OkHttpClient(), () -> 0.5);
    }

    /** A queue of scripted answers; a {@code /wait} call moves the clock by its timeout, as Fly would hold it. */
    static final class ScriptedFly extends QueueDispatcher {
        private final MutableClock clock;

        ScriptedFly(MutableClock clock) {
            this.clock = clock;
            // A script that runs out answers at once with a refusal nobody scripts, instead of hanging the call.
            setFailFast(response(418, "{\"error\": \"the test script has no answer for this call\"}").build());
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            if (request.getUrl().encodedPath().endsWith("/wait")) {
                String timeout = request.getUrl().queryParameter("timeout");
                clock.advance(Duration.ofSeconds(timeout == null ? 60 : Long.parseLong(timeout)));
            }
            return super.dispatch(request);
        }

        ScriptedFly answer(int code, String body) {
            enqueue(response(code, body).build());
            return this;
        }
    }

    static MockResponse.Builder response(int code, String body) {
        return new MockResponse.Builder().code(code)
                .addHeader("Content-Type", "application/json")
                .addHeader("fly-request-id", "01REQ" + code + "-ams")
                .body(body);
    }

    static String machineJson(String id, String name, String state) {
        return """
                {"id": "%s", "name": "%s", "state": "%s", "region": "ams", "instance_id": "01INST",
                 "private_ip": "fdaa:0:1::2", "created_at": "2026-11-22T10:00:00Z", "updated_at": "2026-11-22T10:00:01Z",
                 "config": {"image": "%s", "metadata": {"tenant_id": "%s", "session_id": "%s",
                   "architecture": "hybrid", "managed_by": "interview-insights"}}}
                """.formatted(id, name, state, IMAGE, TENANT, SESSION);
    }

    static String appJson(String org) {
        return """
                {"id": "app01", "name": "%s", "status": "deployed", "organization": {"name": "Org", "slug": "%s"}}
                """.formatted(APP, org);
    }

    /** Asserts one recorded request: method, target (path and query), the token's scheme, and the JSON body. */
    static RecordedRequest assertRequest(RecordedRequest request, String method, String target, String jsonBody) {
        assertNotNull(request, "expected a " + method + " " + target + " but none came");
        assertEquals(method + " " + target, request.getMethod() + " " + request.getTarget());
        assertEquals(AUTHORIZATION, request.getHeaders().get("Authorization"));
        if (jsonBody == null) {
            assertNull(request.getBody() == null || request.getBody().size() == 0 ? null : request.getBody().utf8(),
                    "no body expected");
        } else {
            assertEquals("application/json; charset=utf-8", request.getHeaders().get("Content-Type"));
            assertEquals(tree(jsonBody), tree(request.getBody().utf8()));
        }
        return request;
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** The create-machine body this adapter must send for {@link #spec()} in a region. */
    static String expectedCreateBody(String region) {
        return """
                {"name": "%s", "region": "%s",
                 "config": {
                   "image": "%s",
                   "env": {"SESSION_ID": "%s", "TENANT_ID": "%s",
                           "CANDIDATE_ID": "c0000000-0000-4000-8000-000000000002",
                           "POSITION_ID": "b0000000-0000-4000-8000-000000000003", "ARCHITECTURE": "hybrid",
                           "RUNNER_TOKEN": "%s", "CLIENT_TOKEN_KEY": "%s", "INTERVIEW_MODE": "runner",
                           "CONTROL_PLANE_URL": "https://control.example.test", "MAX_DURATION_SECONDS": "1800",
                           "PORT": "8080"},
                   "metadata": {"tenant_id": "%s", "session_id": "%s", "architecture": "hybrid",
                                "managed_by": "interview-insights"},
                   "guest": {"cpu_kind": "shared", "cpus": 1, "memory_mb": 1024},
                   "auto_destroy": true,
                   "restart": {"policy": "no"},
                   "services": [{"protocol": "tcp", "internal_port": 8080, "autostop": false, "autostart": false,
                                 "ports": [{"port": 443, "handlers": ["tls", "http"]},
                                           {"port": 80, "handlers": ["http"], "force_https": true}]}]}}
                """.formatted(NAME, region, IMAGE, SESSION, TENANT, RUNNER_TOKEN, CLIENT_KEY, TENANT, SESSION);
    }
}
