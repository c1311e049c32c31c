package ai.interviewinsights.adapters.flyio;

import static ai.interviewinsights.adapters.flyio.FlyTestSupport.APP;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.NAME;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.ORG;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.SESSION;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.TENANT;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.assertRequest;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.machineJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.interviewinsights.adapters.flyio.FlyTestSupport.ScriptedFly;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.runner.LiveRunner;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Destroying runners, and listing them for the reconciler. */
class DestroyAndListTest {

    private static final String DELETE = "/v1/apps/" + APP + "/machines/3d8d9e1f0a1b2c?force=true";

    @StartStop
    private final MockWebServer server = new MockWebServer();
    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final ScriptedFly fly = new ScriptedFly(clock);
    private FlyMachinesProvisioner provisioner;

    @BeforeEach
    void setUp() {
        server.setDispatcher(fly);
        provisioner = FlyTestSupport.provisioner(FlyTestSupport.config(server).build(), clock);
    }

    @Test
    void destroying_an_already_destroyed_machine_is_fine() throws Exception {
        fly.answer(404, "{\"error\": \"machine not found\"}");

        provisioner.destroy(TENANT, new RunnerId("3d8d9e1f0a1b2c"));

        assertRequest(server.takeRequest(), "DELETE", DELETE, null);
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void destroying_a_machine_whose_app_is_gone_is_fine() throws Exception {
        fly.answer(404, "{\"error\": \"app not found\"}");

        provisioner.destroy(TENANT, new RunnerId("3d8d9e1f0a1b2c"));

        assertRequest(server.takeRequest(), "DELETE", DELETE, null);
    }

    @Test
    void a_runner_id_that_cannot_be_a_machine_never_reaches_a_url() {
        for (String id : new String[] {"..", "", "a/b", "3d8d?force=false"}) {
            DomainException e = assertThrows(DomainException.class, () -> provisioner.destroy(TENANT,
                    new RunnerId(id)));
            assertEquals("invalid.runner_id", e.code());
        }
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void a_destroy_fly_refuses_is_reported() {
        fly.answer(412, "{\"error\": \"machine has a lease held by someone else\"}");

        DomainException e = assertThrows(DomainException.class, () -> provisioner.destroy(TENANT,
                new RunnerId("3d8d9e1f0a1b2c")));

        assertEquals("fly.rejected", e.code());
    }

    @Test
    void listing_reads_every_tenant_app_and_the_tags_of_its_live_machines() throws Exception {
        String otherTenant = "22222222-2222-4222-8222-222222222222";
        fly.answer(200, """
                {"total_apps": 4, "apps": [
                  {"id": "a1", "name": "%s", "machine_count": 4},
                  {"id": "a2", "name": "interviews-demo", "machine_count": 1},
                  {"id": "a3", "name": "control-plane", "machine_count": 2},
                  {"id": "a4", "name": "interviews-%s", "machine_count": 0}]}
                """.formatted(APP, otherTenant));
        fly.answer(200, "[" + machineJson("m1tagged", NAME, "started") + ","
                + """
                {"id": "m2bare", "name": "hand-made", "state": "started", "created_at": "2026-11-21T08:00:00Z",
                 "config": {"image": "nginx"}},
                {"id": "m3going", "name": "x", "state": "destroying", "created_at": "2026-11-21T08:00:00Z"},
                {"id": "m4foreign", "name": "y", "state": "stopped", "created_at": "2026-11-21T09:00:00.123Z",
                 "config": {"metadata": {"tenant_id": "%s", "session_id": "%s"}}},
                {"id": "m5nodate", "name": "z", "state": "created",
                 "config": {"metadata": {"tenant_id": "%s", "session_id": "not-a-uuid"}}}
                ]""".formatted(otherTenant, SESSION, TENANT));
        fly.answer(404, "{\"error\": \"app not found\"}");

        List<LiveRunner> live = provisioner.listLive();

        assertEquals(List.of(
                new LiveRunner(new RunnerId("m1tagged"), TENANT, SESSION, Instant.parse("2026-11-22T10:00:00Z")),
                new LiveRunner(new RunnerId("m2bare"), TENANT, null, Instant.parse("2026-11-21T08:00:00Z")),
                new LiveRunner(new RunnerId("m4foreign"), TENANT, null, Instant.parse("2026-11-21T09:00:00.123Z")),
                new LiveRunner(new RunnerId("m5nodate"), TENANT, null, Instant.EPOCH)), live);
        assertRequest(server.takeRequest(), "GET", "/v1/apps?org_slug=" + ORG, null);
        assertRequest(server.takeRequest(), "GET", "/v1/apps/" + APP + "/machines", null);
        assertRequest(server.takeRequest(), "GET", "/v1/apps/interviews-" + otherTenant + "/machines", null);
        assertEquals(3, server.getRequestCount(), "apps that name no tenant are not ours to list");
    }

    @Test
    void a_listing_fly_cannot_give_fails_the_listing() {
        fly.answer(401, "{\"error\": \"Authenticate: token validation error\"}");

        DomainException e = assertThrows(DomainException.class, () -> provisioner.listLive());

        assertEquals("fly.unauthorized", e.code());
    }
}
