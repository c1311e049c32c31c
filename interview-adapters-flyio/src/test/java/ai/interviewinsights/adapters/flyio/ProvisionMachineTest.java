package ai.interviewinsights.adapters.flyio;

import static ai.interviewinsights.adapters.flyio.FlyTestSupport.APP;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.NAME;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.ORG;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.SESSION;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.TENANT;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.appJson;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.assertRequest;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.expectedCreateBody;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.machineJson;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.flyio.FlyTestSupport.ScriptedFly;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Creating the session's machine, waiting for it, and what happens when Fly does not cooperate. */
class ProvisionMachineTest {

    private static final String ID = "3d8d9e1f0a1b2c";
    private static final String MACHINES = "/v1/apps/" + APP + "/machines";
    private static final String LOOKUP = MACHINES + "?metadata.session_id=" + SESSION;
    private static final String WAIT = MACHINES + "/" + ID + "/wait?state=started&timeout=";

    @StartStop
    private final MockWebServer server = new MockWebServer();
    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final ScriptedFly fly = new ScriptedFly(clock);
    private FlyMachinesProvisioner provisioner;

    @BeforeEach
    void setUp() {
        server.setDispatcher(fly);
        provisioner = FlyTestSupport.provisioner(FlyTestSupport.config(server).build(), clock);
        fly.answer(200, appJson(ORG));
    }

    private void skipAppLookup() throws InterruptedException {
        assertRequest(server.takeRequest(), "GET", "/v1/apps/" + APP, null);
    }

    @Test
    void create_then_wait_then_destroy() throws Exception {
        fly.answer(200, "[]")
                .answer(200, machineJson(ID, NAME, "created"))
                .answer(200, "{\"ok\": true}")
                .answer(200, machineJson(ID, NAME, "stopped"))
                .answer(200, "{\"ok\": true}");

        RunnerRef ref = provisioner.provision(spec());
        provisioner.destroy(TENANT, ref.runnerId());

        assertEquals(ID, ref.runnerId().value());
        assertEquals(NAME, ref.name().value());
        assertEquals(URI.create("wss://" + APP + ".fly.dev/ws?instance=" + ID), ref.endpoint());
        skipAppLookup();
        assertRequest(server.takeRequest(), "GET", LOOKUP, null);
        RecordedRequest create = assertRequest(server.takeRequest(), "POST", MACHINES, expectedCreateBody("ams"));
        assertEquals("application/json", create.getHeaders().get("Accept"));
        assertRequest(server.takeRequest(), "GET", WAIT + "60", null);
        assertRequest(server.takeRequest(), "GET", MACHINES + "/" + ID, null);
        assertRequest(server.takeRequest(), "DELETE", MACHINES + "/" + ID + "?force=true", null);
        assertEquals(6, server.getRequestCount());
    }

    /**
     * With no pool in front (the control plane gives its metrics here then), a machine created and started is a
     * cold start, reported as a pool's miss with its time; a provision that finds the session's machine is not.
     */
    @Test
    void a_machine_created_and_started_is_reported_as_a_cold_start_and_one_found_for_the_session_is_not() {
        java.util.List<String> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        FlyMachinesProvisioner reporting = FlyRunners.create(FlyTestSupport.config(server).build(), clock,
                new okhttp3.OkHttpClient(), () -> 0.5, new ai.interviewinsights.domain.port.out.RunnerPoolMetrics() {
                    @Override
                    public void claimed(ai.interviewinsights.domain.model.interview.Architecture architecture,
                                        boolean hit, Duration took) {
                        reported.add(architecture.wireName() + ":" + (hit ? "hit" : "miss") + ":"
                                + (took.toNanos() > 0));
                    }

                    @Override
                    public void refilled(ai.interviewinsights.domain.model.interview.Architecture architecture,
                                         String outcome) {
                        reported.add("refilled");
                    }
                });
        fly.answer(200, "[]")
                .answer(200, machineJson(ID, NAME, "created"))
                .answer(200, "{\"ok\": true}");
        reporting.provision(spec());
        assertEquals(java.util.List.of("hybrid:miss:true"), reported);

        fly.answer(200, appJson(ORG)).answer(200, "[" + machineJson(ID, NAME, "started") + "]");
        assertEquals(ID, reporting.provision(spec()).runnerId().value(), "the session's machine, found");
        assertEquals(java.util.List.of("hybrid:miss:true"), reported, "finding the machine is no start");
    }

    @Test
    void the_endpoint_follows_the_configured_template() {
        provisioner = FlyTestSupport.provisioner(FlyTestSupport.config(server)
                .endpointTemplate("wss://{app}.interviews.example.com/session?machine={machine}").build(), clock);
        fly.answer(200, "[]").answer(200, machineJson(ID, NAME, "started"));

        RunnerRef ref = provisioner.provision(spec());

        assertEquals(URI.create("wss://" + APP + ".interviews.example.com/session?machine=" + ID), ref.endpoint());
        assertEquals(3, server.getRequestCount(), "a machine created started needs no wait");
    }

    @Test
    void a_wait_that_times_out_polls_again_with_what_is_left_of_the_deadline() throws Exception {
        fly.answer(200, "[]")
                .answer(200, machineJson(ID, NAME, "created"))
                .answer(408, "{\"error\": \"deadline_exceeded: timeout waiting for machine to be started\"}")
                .answer(200, "{\"ok\": true}");

        RunnerRef ref = provisioner.provision(spec());

        assertEquals(ID, ref.runnerId().value());
        skipAppLookup();
        server.takeRequest();
        server.takeRequest();
        assertRequest(server.takeRequest(), "GET", WAIT + "60", null);
        assertRequest(server.takeRequest(), "GET", WAIT + "30", null);
    }

    @Test
    void a_dropped_create_response_is_retried_and_the_name_conflict_reuses_the_machine() throws Exception {
        fly.answer(200, "[]");
        fly.enqueue(FlyTestSupport.response(200, machineJson(ID, NAME, "created"))
                .onResponseStart(new SocketEffect.CloseSocket()).build());
        fly.answer(409, "{\"error\": \"machine name '" + NAME + "' is already in use\"}")
                .answer(200, "[" + machineJson(ID, NAME, "starting") + "]")
                .answer(200, "{\"ok\": true}");

        RunnerRef ref = provisioner.provision(spec());

        assertEquals(ID, ref.runnerId().value());
        skipAppLookup();
        assertRequest(server.takeRequest(), "GET", LOOKUP, null);
        assertRequest(server.takeRequest(), "POST", MACHINES, expectedCreateBody("ams"));
        assertRequest(server.takeRequest(), "POST", MACHINES, expectedCreateBody("ams"));
        assertRequest(server.takeRequest(), "GET", LOOKUP, null);
        assertRequest(server.takeRequest(), "GET", WAIT + "60", null);
        assertEquals(6, server.getRequestCount(), "exactly two creates, both for the same name");
    }

    @Test
    void a_provision_retried_after_its_responses_were_lost_reuses_the_machine_fly_did_create() throws Exception {
        fly.answer(200, "[]");
        for (int i = 0; i < 3; i++) {
            fly.enqueue(FlyTestSupport.response(200, machineJson(ID, NAME, "created"))
                    .onResponseStart(new SocketEffect.CloseSocket()).build());
        }
        DomainException lost = assertThrows(DomainException.class, () -> provisioner.provision(spec()));
        assertEquals("fly.unreachable", lost.code());
        assertTrue(lost.retryable());

        // The caller retries the whole provision; Fly had created the machine, which has started since.
        fly.answer(200, appJson(ORG)).answer(200, "[" + machineJson(ID, NAME, "started") + "]");
        RunnerRef ref = provisioner.provision(spec());

        assertEquals(ID, ref.runnerId().value());
        for (int i = 0; i < 5; i++) {
            server.takeRequest();
        }
        skipAppLookup();
        assertRequest(server.takeRequest(), "GET", LOOKUP, null);
        assertEquals(7, server.getRequestCount(), "the retried provision created nothing");
    }

    @Test
    void a_stopped_machine_of_the_session_is_started_again_rather_than_duplicated() throws Exception {
        fly.answer(200, "[" + machineJson(ID, NAME, "stopped") + "]")
                .answer(200, "{\"message\": \"ok\", \"status\": \"started\", \"previous_state\": \"stopped\"}")
                .answer(200, "{\"ok\": true}");

        assertEquals(ID, provisioner.provision(spec()).runnerId().value());

        skipAppLookup();
        server.takeRequest();
        assertRequest(server.takeRequest(), "POST", MACHINES + "/" + ID + "/start", "{}");
        assertRequest(server.takeRequest(), "GET", WAIT + "60", null);
    }

    @Test
    void no_capacity_in_the_first_region_moves_on_to_the_second() throws Exception {
        fly.answer(200, "[]")
                .answer(412, "{\"error\": \"insufficient resources to create new machine\","
                        + " \"status\": \"insufficient_capacity\"}")
                .answer(200, machineJson(ID, NAME, "created"))
                .answer(200, "{\"ok\": true}");

        assertEquals(ID, provisioner.provision(spec()).runnerId().value());

        skipAppLookup();
        server.takeRequest();
        assertRequest(server.takeRequest(), "POST", MACHINES, expectedCreateBody("ams"));
        assertRequest(server.takeRequest(), "POST", MACHINES, expectedCreateBody("fra"));
        assertRequest(server.takeRequest(), "GET", WAIT + "60", null);
        assertEquals(5, server.getRequestCount(), "a capacity refusal is not retried in the same region");
    }

    @Test
    void no_capacity_anywhere_is_a_retryable_failure_naming_the_regions() {
        fly.answer(200, "[]")
                .answer(503, "{\"error\": \"no capacity\", \"status\": \"insufficient_capacity\"}")
                .answer(409, "{\"error\": \"aborted: insufficient memory available to fulfill request\"}");

        DomainException e = assertThrows(DomainException.class, () -> provisioner.provision(spec()));

        assertEquals("fly.insufficient_capacity", e.code());
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("ams, fra"), e.getMessage());
        assertEquals(4, server.getRequestCount());
    }

    @Test
    void a_machine_that_never_starts_is_destroyed_and_provisioning_fails_clearly() throws Exception {
        fly.answer(200, "[]")
                .answer(200, machineJson(ID, NAME, "created"))
                .answer(408, "{\"error\": \"deadline_exceeded\"}")
                .answer(408, "{\"error\": \"deadline_exceeded\"}")
                .answer(200, machineJson(ID, NAME, "starting"))
                .answer(200, "{\"ok\": true}");

        DomainException e = assertThrows(DomainException.class, () -> provisioner.provision(spec()));

        assertEquals("fly.start_timeout", e.code());
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("did not reach 'started' within 90 s (last state: starting)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("it was destroyed"), e.getMessage());
        skipAppLookup();
        server.takeRequest();
        server.takeRequest();
        assertRequest(server.takeRequest(), "GET", WAIT + "60", null);
        assertRequest(server.takeRequest(), "GET", WAIT + "30", null);
        assertRequest(server.takeRequest(), "GET", MACHINES + "/" + ID, null);
        assertRequest(server.takeRequest(), "DELETE", MACHINES + "/" + ID + "?force=true", null);
        assertEquals(7, server.getRequestCount());
        assertEquals(clock.instant(), java.time.Instant.parse("2026-11-22T10:01:30Z"), "waited exactly 90 s");
    }

    @Test
    void a_shorter_start_deadline_caps_the_wait() throws Exception {
        provisioner = FlyTestSupport.provisioner(FlyTestSupport.config(server)
                .startDeadline(Duration.ofSeconds(20)).build(), clock);
        fly.answer(200, "[]")
                .answer(200, machineJson(ID, NAME, "created"))
                .answer(408, "{\"error\": \"deadline_exceeded\"}")
                .answer(404, "{\"error\": \"machine not found\"}")
                .answer(404, "{\"error\": \"machine not found\"}");

        DomainException e = assertThrows(DomainException.class, () -> provisioner.provision(spec()));

        assertEquals("fly.start_timeout", e.code());
        assertTrue(e.getMessage().contains("last state: gone"), e.getMessage());
        skipAppLookup();
        server.takeRequest();
        server.takeRequest();
        assertRequest(server.takeRequest(), "GET", WAIT + "20", null);
    }

    @Test
    void a_machine_whose_start_cannot_be_watched_is_destroyed() throws Exception {
        fly.answer(200, "[]").answer(200, machineJson(ID, NAME, "created"));
        for (int i = 0; i < 3; i++) {
            fly.enqueue(FlyTestSupport.response(200, "{\"ok\": true}")
                    .onResponseStart(new SocketEffect.CloseSocket()).build());
        }
        fly.answer(200, "{\"ok\": true}");

        DomainException e = assertThrows(DomainException.class, () -> provisioner.provision(spec()));

        assertEquals("fly.unreachable", e.code());
        assertTrue(e.retryable());
        for (int i = 0; i < 6; i++) {
            server.takeRequest();
        }
        assertRequest(server.takeRequest(), "DELETE", MACHINES + "/" + ID + "?force=true", null);
    }

    @Test
    void a_machine_that_fails_while_starting_is_destroyed_and_reported() throws Exception {
        fly.answer(200, "[]")
                .answer(200, machineJson(ID, NAME, "created"))
                .answer(400, "{\"error\": \"machine is in a failed state\"}")
                .answer(200, machineJson(ID, NAME, "failed"))
                .answer(200, "{\"ok\": true}");

        DomainException e = assertThrows(DomainException.class, () -> provisioner.provision(spec()));

        assertEquals("fly.start_failed", e.code());
        assertEquals(ErrorKind.UPSTREAM_FAILED, e.kind());
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("state: failed"), e.getMessage());
        for (int i = 0; i < 5; i++) {
            server.takeRequest();
        }
        assertRequest(server.takeRequest(), "DELETE", MACHINES + "/" + ID + "?force=true", null);
    }

    @Test
    void a_create_refused_for_another_reason_is_not_mistaken_for_a_conflict() throws Exception {
        fly.answer(200, "[]")
                .answer(422, "{\"error\": \"invalid image: manifest unknown\"}")
                .answer(200, "[]")
                .answer(200, "[]");

        DomainException e = assertThrows(DomainException.class, () -> provisioner.provision(spec()));

        assertEquals("fly.rejected", e.code());
        assertEquals(ErrorKind.UPSTREAM_FAILED, e.kind());
        assertTrue(e.getMessage().contains("invalid image: manifest unknown"), e.getMessage());
        assertTrue(e.getMessage().contains("fly-request-id 01REQ422-ams"), e.getMessage());
        assertEquals(5, server.getRequestCount(), "one create, then lookups that found nothing to reuse");
        skipAppLookup();
        server.takeRequest();
        server.takeRequest();
        assertRequest(server.takeRequest(), "GET", LOOKUP, null);
        assertRequest(server.takeRequest(), "GET", MACHINES, null);
    }

    @Test
    void a_machine_with_our_name_but_another_sessions_tag_is_never_reused() {
        String otherSession = SESSION.toString().substring(0, 8) + "-ffff-4fff-8fff-ffffffffffff";
        fly.answer(200, "[]")
                .answer(409, "{\"error\": \"already exists\", \"status\": \"name_taken\"}")
                .answer(200, "[]")
                .answer(200, "[" + machineJson("0ther0000000aa", NAME, "started").replace(SESSION.toString(),
                        otherSession) + "]");

        DomainException e = assertThrows(DomainException.class, () -> provisioner.provision(spec()));

        assertEquals("fly.machine_name_collision", e.code());
        assertEquals(ErrorKind.CONFLICT, e.kind());
        assertTrue(e.getMessage().contains(otherSession), e.getMessage());
        assertEquals(5, server.getRequestCount());
    }

    @Test
    void the_pre_check_ignores_a_same_named_machine_of_another_session() throws Exception {
        String otherSession = SESSION.toString().substring(0, 8) + "-ffff-4fff-8fff-ffffffffffff";
        fly.answer(200, "[" + machineJson("0ther0000000aa", NAME, "started").replace(SESSION.toString(),
                        otherSession) + "]")
                .answer(200, machineJson(ID, NAME, "started"));

        assertEquals(ID, provisioner.provision(spec()).runnerId().value());

        skipAppLookup();
        server.takeRequest();
        assertRequest(server.takeRequest(), "POST", MACHINES, expectedCreateBody("ams"));
    }

    @Test
    void a_name_held_by_a_machine_being_destroyed_is_a_retryable_conflict() {
        fly.answer(200, "[]")
                .answer(409, "{\"error\": \"already exists\", \"status\": \"name_taken\"}")
                .answer(200, "[" + machineJson(ID, NAME, "destroying") + "]");

        DomainException e = assertThrows(DomainException.class, () -> provisioner.provision(spec()));

        assertEquals("fly.machine_name_busy", e.code());
        assertTrue(e.retryable());
    }
}
