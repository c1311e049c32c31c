package ai.interviewinsights.app.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.ControlPlaneApp;
import ai.interviewinsights.app.runner.RunnerServer;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.sdp.SdpLimits;
import ai.interviewinsights.domain.runner.InProcessControlPlane;
import ai.interviewinsights.domain.runner.InterviewRunner;
import ai.interviewinsights.domain.testing.FakeRealtimeGateway;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.yaml is the contract clients are generated from: it must be valid OpenAPI (a stray key from an
 * unquoted comma is an error, not a warning), and it must describe exactly what the control plane and a runner
 * serve - read from their routers, not from a second list kept by hand.
 */
class OpenApiDocumentTest {

    private static final Path DOCUMENT = Path.of("..", "docs", "openapi.yaml");

    private static OpenAPI api;
    private static ControlPlaneApp controlPlane;
    private static RunnerServer runner;

    @BeforeAll
    static void parseAndStart() throws Exception {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(Files.readString(DOCUMENT), null, options);
        assertTrue(result.getMessages() == null || result.getMessages().isEmpty(),
                () -> "docs/openapi.yaml has errors:\n  " + String.join("\n  ", result.getMessages()));
        api = result.getOpenAPI();
        assertNotNull(api, "docs/openapi.yaml did not parse");

        Path dataDir = Files.createTempDirectory("ii-openapi-");
        // Every optional route switched on: the api.video webhook needs its key and secret.
        controlPlane = ControlPlaneApp.start(Map.of("PORT", "0", "HOST", "127.0.0.1",
                "DATA_DIR", dataDir.toString(), "LOG_FORMAT", "text",
                "APIVIDEO_API_KEY", "openapi-test-key", "APIVIDEO_BASE_URL", "http://127.0.0.1:9",
                "APIVIDEO_WEBHOOK_SECRET", "openapi-test-webhook-secret"));

        SessionId session = new SessionId(UUID.randomUUID());
        TenantId tenant = Fixtures.ACME;
        InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
        runner = new RunnerServer(session, tenant, Secret.of("a2V5"),
                observer -> new InterviewRunner(session, new InProcessControlPlane(
                        Fixtures.runnerPrincipal(tenant, session), platform.services),
                        new FakeRealtimeGateway(Clock.systemUTC()), Clock.systemUTC(), SdpLimits.defaults(), observer),
                Clock.systemUTC(), () -> { }).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        if (runner != null) {
            runner.stop();
        }
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    @Test
    void the_document_parses_without_a_single_message() {
        // @BeforeAll fails on any parser message; here the parsed model is checked to be the whole document.
        assertEquals("3.1.0", api.getOpenapi());
        assertTrue(api.getPaths().size() > 20, "paths were lost while parsing: " + api.getPaths().keySet());
        api.getPaths().forEach((path, item) -> operations(item).forEach((method, op) ->
                assertNotNull(op.getResponses(), method + " " + path + " has no responses")));
    }

    @Test
    void no_key_is_left_without_a_value() throws Exception {
        // An unquoted comma inside {...} splits a description into stray keys with no value. Inside a schema,
        // OpenAPI 3.1 allows unknown keywords, so the parser stays silent there: look for the symptom directly.
        JsonNode tree = io.swagger.v3.core.util.Yaml.mapper().readTree(Files.readString(DOCUMENT));
        List<String> stray = new ArrayList<>();
        collectNullValues(tree, "", stray);
        assertTrue(stray.isEmpty(), "keys without a value (an unquoted comma?): " + stray);
    }

    private static void collectNullValues(JsonNode node, String at, List<String> stray) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getValue().isNull()) {
                    stray.add(at + "/" + field.getKey());
                }
                collectNullValues(field.getValue(), at + "/" + field.getKey(), stray);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectNullValues(node.get(i), at + "/" + i, stray);
            }
        }
    }

    @Test
    void every_served_route_is_documented_and_every_documented_route_is_served() {
        Set<String> documented = new TreeSet<>();
        Set<String> documentedForRunners = new TreeSet<>();
        api.getPaths().forEach((path, item) -> operations(item).forEach((method, op) -> {
            documented.add(method + " " + path);
            if (op.getTags() != null && op.getTags().contains("runner")) {
                documentedForRunners.add(method + " " + path);
            }
        }));
        Set<String> served = new TreeSet<>(controlPlane.servedRoutes());
        served.addAll(runner.servedRoutes());

        Set<String> undocumented = new TreeSet<>(served);
        undocumented.removeAll(documented);
        Set<String> unserved = new TreeSet<>(documented);
        unserved.removeAll(served);
        assertTrue(undocumented.isEmpty(), "served but not in docs/openapi.yaml: " + undocumented);
        assertTrue(unserved.isEmpty(), "in docs/openapi.yaml but served by nothing: " + unserved);

        Set<String> notOnRunner = new TreeSet<>(documentedForRunners);
        notOnRunner.removeAll(runner.servedRoutes());
        assertTrue(notOnRunner.isEmpty(), "tagged runner but a runner does not serve: " + notOnRunner);
        assertTrue(runner.servedRoutes().contains("GET /ws"), "the runner's WebSocket is read from its router");
    }

    private static Map<String, Operation> operations(PathItem item) {
        Map<String, Operation> ops = new java.util.LinkedHashMap<>();
        item.readOperationsMap().forEach((method, op) -> ops.put(method.name(), op));
        return ops;
    }
}
