package ai.interviewinsights.adapters.flyio;

import static ai.interviewinsights.adapters.flyio.FlyTestSupport.APP;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.ORG;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.SESSION;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.TENANT;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.appJson;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.assertRequest;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.expectedCreateBody;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.machineJson;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.spec;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.interviewinsights.adapters.flyio.FlyTestSupport.ScriptedFly;
import ai.interviewinsights.domain.model.interview.Architecture;
import ai.interviewinsights.domain.model.runner.RunnerSpec;
import ai.interviewinsights.domain.testing.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * Machines are sized per architecture: a proxy runner, which carries the interview's audio itself, is created with the
 * bigger guest (shared 2 CPUs, 1024 MB by default, or what the operator configured), under its proxy name, told its
 * architecture through the launch environment; a hybrid runner keeps the small default. Asserted on the request Fly
 * receives.
 */
class ProxyMachineSizingTest {

    private static final String ID = "3d8d9e1f0a1b2c";
    private static final String MACHINES = "/v1/apps/" + APP + "/machines";
    private static final String LOOKUP = MACHINES + "?metadata.session_id=" + SESSION;

    @StartStop
    private final MockWebServer server = new MockWebServer();
    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");

    private static RunnerSpec proxySpec() {
        RunnerSpec hybrid = spec();
        return new RunnerSpec(hybrid.session(), hybrid.tenant(), hybrid.candidate(), hybrid.position(),
                Architecture.PROXY, hybrid.runnerToken(), hybrid.clientTokenKey(), hybrid.maxDuration());
    }

    /** Provisions one runner against the scripted Fly and returns the create-machine request it sent. */
    private RecordedRequest create(FlyConfig config, RunnerSpec spec) throws Exception {
        ScriptedFly fly = new ScriptedFly(clock);
        server.setDispatcher(fly);
        fly.answer(200, appJson(ORG))
                .answer(200, "[]")
                .answer(200, machineJson(ID, spec.name().value(), "created"))
                .answer(200, "{\"ok\": true}");
        FlyTestSupport.provisioner(config, clock).provision(spec);
        assertRequest(server.takeRequest(), "GET", "/v1/apps/" + APP, null);
        assertRequest(server.takeRequest(), "GET", LOOKUP, null);
        RecordedRequest create = server.takeRequest();
        assertEquals("POST " + MACHINES, create.getMethod() + " " + create.getTarget());
        assertRequest(server.takeRequest(), "GET", MACHINES + "/" + ID + "/wait?state=started&timeout=60", null);
        return create;
    }

    @Test
    void a_proxy_runner_gets_the_bigger_machine_and_knows_its_architecture() throws Exception {
        RecordedRequest create = create(FlyTestSupport.config(server).build(), proxySpec());

        JsonNode body = tree(create.getBody().utf8());
        // Everything else exactly as a hybrid runner's machine: only name, architecture and size differ.
        ObjectNode expected = (ObjectNode) tree(expectedCreateBody("ams"));
        expected.put("name", proxySpec().name().value());
        ObjectNode config = (ObjectNode) expected.get("config");
        ((ObjectNode) config.get("env")).put("ARCHITECTURE", "proxy");
        ((ObjectNode) config.get("metadata")).put("architecture", "proxy");
        ((ObjectNode) config.get("guest")).put("cpus", 2);
        assertEquals(expected, body);
        assertEquals("interview-proxy-" + TENANT + "-" + SESSION.shortId(), body.path("name").asText());
        assertEquals("shared", body.path("config").path("guest").path("cpu_kind").asText());
        assertEquals(2, body.path("config").path("guest").path("cpus").asInt());
        assertEquals(1024, body.path("config").path("guest").path("memory_mb").asInt());
    }

    @Test
    void the_operator_sizes_each_architecture_apart() throws Exception {
        FlyConfig config = FlyTestSupport.config(server)
                .guest(new FlyConfig.Guest("shared", 1, 256))
                .proxyGuest(new FlyConfig.Guest("performance", 1, 2048)).build();

        JsonNode proxy = tree(create(config, proxySpec()).getBody().utf8()).path("config").path("guest");
        assertEquals(tree("{\"cpu_kind\": \"performance\", \"cpus\": 1, \"memory_mb\": 2048}"), proxy);

        JsonNode hybrid = tree(create(config, spec()).getBody().utf8()).path("config").path("guest");
        assertEquals(tree("{\"cpu_kind\": \"shared\", \"cpus\": 1, \"memory_mb\": 256}"), hybrid);
    }
}
