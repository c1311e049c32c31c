package ai.interviewinsights.adapters.flyio;

import static ai.interviewinsights.adapters.flyio.FlyTestSupport.APP;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.NAME;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.ORG;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.SESSION;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.TENANT;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.assertRequest;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.machineJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private static final String MACHINE = "/v1/apps/" + APP + "/machines/3d8d9e1f0a1b2c";
    private static final String DELETE = MACHINE + "?force=true";

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

    /** The stop before a destroy: the machine read, SIGTERM with a 5 s grace, the wait until it stopped. */
    private void assertStoppedAndAwaited() throws InterruptedException {
        assertRequest(server.takeRequest(), "GET", MACHINE, null);
        assertRequest(server.takeRequest(), "POST", MACHINE + "/stop", "{\"signal\": \"SIGTERM\", \"timeout\": \"5s\"}");
        assertRequest(server.takeRequest(), "GET", MACHINE + "/wait?state=stopped&instance_id=01INST&timeout=10", null);
    }

    /** A destroy without a stop: the machine read, then the DELETE, and nothing else. */
    private void assertDestroyedWithoutAStop() throws InterruptedException {
        assertRequest(server.takeRequest(), "GET", MACHINE, null);
        assertRequest(server.takeRequest(), "DELETE", DELETE, null);
        assertEquals(2, server.getRequestCount(), "nothing to stop first");
    }

    @Test
    void destroying_an_already_destroyed_machine_is_fine() throws Exception {
        fly.answer(404, "{\"error\": \"machine not found\"}");
        fly.answer(404, "{\"error\": \"machine not found\"}");

        provisioner.destroy(TENANT, new RunnerId("3d8d9e1f0a1b2c"));

        assertDestroyedWithoutAStop();
    }

    @Test
    void destroying_a_machine_whose_app_is_gone_is_fine() throws Exception {
        fly.answer(404, "{\"error\": \"app not found\"}");
        fly.answer(404, "{\"error\": \"app not found\"}");

        provisioner.destroy(TENANT, new RunnerId("3d8d9e1f0a1b2c"));

        assertRequest(server.takeRequest(), "GET", MACHINE, null);
        assertRequest(server.takeRequest(), "DELETE", DELETE, null);
    }

    /**
     * A running runner is stopped as a local one is, with SIGTERM and a grace, and awaited, before the destroy: it
     * stores what its transcript still holds and tells its browser before it exits (RunnerServer.shutDown).
     */
    @Test
    void a_started_machine_is_sent_sigterm_and_awaited_before_it_is_destroyed() throws Exception {
        fly.answer(200, machineJson("3d8d9e1f0a1b2c", NAME, "started"));
        fly.answer(200, "{\"ok\": true}");
        fly.answer(200, "{\"ok\": true}");
        fly.answer(200, "{\"ok\": true}");

        provisioner.destroy(TENANT, new RunnerId("3d8d9e1f0a1b2c"));

        assertStoppedAndAwaited();
        assertRequest(server.takeRequest(), "DELETE", DELETE, null);
        assertEquals(4, server.getRequestCount());
    }

    @Test
    void a_machine_already_stopping_is_waited_for_without_a_second_stop() throws Exception {
        fly.answer(200, machineJson("3d8d9e1f0a1b2c", NAME, "stopping"));
        fly.answer(200, "{\"ok\": true}");
        fly.answer(200, "{\"ok\": true}");

        provisioner.destroy(TENANT, new RunnerId("3d8d9e1f0a1b2c"));

        assertRequest(server.takeRequest(), "GET", MACHINE, null);
        assertRequest(server.takeRequest(), "GET", MACHINE + "/wait?state=stopped&instance_id=01INST&timeout=10", null);
        assertRequest(server.takeRequest(), "DELETE", DELETE, null);
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void a_machine_fly_names_no_instance_of_is_destroyed_without_a_stop_it_could_not_wait_for() throws Exception {
        fly.answer(200, machineJson("3d8d9e1f0a1b2c", NAME, "started").replace("\"instance_id\": \"01INST\",", ""));
        fly.answer(200, "{\"ok\": true}");

        provisioner.destroy(TENANT, new RunnerId("3d8d9e1f0a1b2c"));

        assertDestroyedWithoutAStop();
    }

    /** The stop's calls are tried once each (the destroy after them has the retries): a 429 is not waited out. */
    @Test
    void the_stop_is_tried_once_and_a_machine_that_went_by_itself_after_it_is_destroyed() throws Exception {
        fly.answer(200, machineJson("3d8d9e1f0a1b2c", NAME, "started"));
        fly.enqueue(FlyTestSupport.response(429, "{\"error\": \"rate limit exceeded\"}")
                .addHeader("Retry-After", "1").build());
        fly.answer(200, "{\"ok\": true}");
        // Runner machines are auto_destroy: stopped, Fly may already be destroying it and refuse the DELETE.
        fly.answer(412, "{\"error\": \"machine is being destroyed\"}");
        fly.answer(200, machineJson("3d8d9e1f0a1b2c", NAME, "destroying"));

        provisioner.destroy(TENANT, new RunnerId("3d8d9e1f0a1b2c"));

        assertStoppedAndAwaited();
        assertRequest(server.takeRequest(), "DELETE", DELETE, null);
        assertRequest(server.takeRequest(), "GET", MACHINE, null);
        assertEquals(5, server.getRequestCount());
    }

    @Test
    void a_machine_that_is_not_running_is_destroyed_without_a_stop() throws Exception {
        fly.answer(200, machineJson("3d8d9e1f0a1b2c", NAME, "stopped"));
        fly.answer(200, "{\"ok\": true}");

        provisioner.destroy(TENANT, new RunnerId("3d8d9e1f0a1b2c"));

        assertDestroyedWithoutAStop();
    }

    /**
     * A stop Fly refuses (the machine already stopping: another caller's stop, or a retried one whose first answer
     * was lost) is waited for all the same: the forced destroy must not cut a runner's goodbye short.
     */
    @Test
    void a_refused_stop_is_still_waited_for_and_a_wait_that_runs_out_still_ends_in_the_destroy() throws Exception {
        fly.answer(200, machineJson("3d8d9e1f0a1b2c", NAME, "started"));
        fly.answer(409, "{\"error\": \"unable to stop machine, not currently started\"}");
        fly.answer(200, "{\"ok\": true}");
        fly.answer(200, "{\"ok\": true}");

        provisioner.destroy(TENANT, new RunnerId("3d8d9e1f0a1b2c"));

        assertStoppedAndAwaited();
        assertRequest(server.takeRequest(), "DELETE", DELETE, null);

        fly.answer(200, machineJson("3d8d9e1f0a1b2c", NAME, "started"));
        fly.answer(200, "{\"ok\": true}");
        fly.answer(408, "{\"error\": \"deadline_exceeded: machine did not reach the stopped state\"}");
        fly.answer(200, "{\"ok\": true}");

        provisioner.destroy(TENANT, new RunnerId("3d8d9e1f0a1b2c"));

        assertStoppedAndAwaited();
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
        fly.answer(200, machineJson("3d8d9e1f0a1b2c", NAME, "stopped"));
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

    /**
     * Whether a session's runner is alive asks Fly for that one machine in its tenant's app: the port's default listed
     * every app of the organisation (a call per tenant) on each rejoin, and any one app's failure to list failed
     * every tenant's rejoin. A machine serves while it is on its way to started or started; one stopped (its process
     * exited), failed or gone does not, and the next start gives the session a runner again.
     */
    @Test
    void whether_a_runner_is_alive_is_one_read_of_its_machine() throws Exception {
        for (String state : List.of("created", "starting", "started")) {
            fly.answer(200, machineJson("3d8d9e1f0a1b2c", NAME, state));
            assertTrue(provisioner.isAlive(TENANT, new RunnerId("3d8d9e1f0a1b2c")), state);
            assertRequest(server.takeRequest(), "GET", MACHINE, null);
        }
        for (String state : List.of("stopping", "suspending", "stopped", "suspended", "failed", "destroying",
                "destroyed")) {
            fly.answer(200, machineJson("3d8d9e1f0a1b2c", NAME, state));
            assertFalse(provisioner.isAlive(TENANT, new RunnerId("3d8d9e1f0a1b2c")), state);
            assertRequest(server.takeRequest(), "GET", MACHINE, null);
        }
        fly.answer(404, "{\"error\": \"machine not found\"}");
        assertFalse(provisioner.isAlive(TENANT, new RunnerId("3d8d9e1f0a1b2c")), "gone");
        assertRequest(server.takeRequest(), "GET", MACHINE, null);
        assertFalse(provisioner.isAlive(TENANT, new RunnerId("12345/../x")), "an id no machine can have");
        assertEquals(11, server.getRequestCount(), "one read a question (none for that id), never a listing");
    }

    @Test
    void a_listing_fly_cannot_give_fails_the_listing() {
        fly.answer(401, "{\"error\": \"Authenticate: token validation error\"}");

        DomainException e = assertThrows(DomainException.class, () -> provisioner.listLive());

        assertEquals("fly.unauthorized", e.code());
    }
}
