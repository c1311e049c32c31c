package ai.interviewinsights.adapters.flyio;

import static ai.interviewinsights.adapters.flyio.FlyTestSupport.APP;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.NAME;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.ORG;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.SESSION;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.appJson;
import static ai.interviewinsights.adapters.flyio.FlyTestSupport.assertRequest;
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
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tenant app {@code interviews-{tenantId}}: found, created, or owned by someone else. */
class TenantAppTest {

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

    private void scriptMachineThatStarts() {
        fly.answer(200, "[]")
                .answer(200, machineJson("3d8d9e1f0a1b2c", NAME, "created"))
                .answer(200, "{\"ok\": true}");
    }

    private void assertMachineRequestsFollow() throws InterruptedException {
        assertRequest(server.takeRequest(), "GET", "/v1/apps/" + APP + "/machines?metadata.session_id=" + SESSION,
                null);
        assertRequest(server.takeRequest(), "POST", "/v1/apps/" + APP + "/machines",
                FlyTestSupport.expectedCreateBody("ams"));
        assertRequest(server.takeRequest(), "GET",
                "/v1/apps/" + APP + "/machines/3d8d9e1f0a1b2c/wait?state=started&timeout=60", null);
    }

    @Test
    void an_existing_app_of_our_organisation_is_used_as_it_is() throws Exception {
        fly.answer(200, appJson(ORG));
        scriptMachineThatStarts();

        RunnerRef ref = provisioner.provision(spec());

        assertEquals("3d8d9e1f0a1b2c", ref.runnerId().value());
        assertRequest(server.takeRequest(), "GET", "/v1/apps/" + APP, null);
        assertMachineRequestsFollow();
        assertEquals(4, server.getRequestCount());
    }

    @Test
    void a_missing_app_is_created_in_the_organisation_with_its_own_network() throws Exception {
        fly.answer(404, "{\"error\": \"Could not find App\"}")
                .answer(201, "{\"id\": \"app01\", \"created_at\": 1763805600000}");
        scriptMachineThatStarts();

        provisioner.provision(spec());

        assertRequest(server.takeRequest(), "GET", "/v1/apps/" + APP, null);
        assertRequest(server.takeRequest(), "POST", "/v1/apps",
                "{\"app_name\": \"" + APP + "\", \"org_slug\": \"" + ORG + "\", \"network\": \"" + APP + "\"}");
        assertMachineRequestsFollow();
        assertEquals(5, server.getRequestCount());
    }

    @Test
    void without_network_isolation_the_app_is_created_on_the_default_network() throws Exception {
        provisioner = FlyTestSupport.provisioner(FlyTestSupport.config(server).networkPerTenant(false).build(), clock);
        fly.answer(404, "{\"error\": \"Could not find App\"}").answer(201, "{\"id\": \"app01\"}");
        scriptMachineThatStarts();

        provisioner.provision(spec());

        server.takeRequest();
        assertRequest(server.takeRequest(), "POST", "/v1/apps",
                "{\"app_name\": \"" + APP + "\", \"org_slug\": \"" + ORG + "\"}");
    }

    @Test
    void an_app_name_owned_by_another_organisation_is_a_clear_refusal() throws Exception {
        fly.answer(403, "{\"error\": \"unauthorized\"}");

        DomainException e = assertThrows(DomainException.class, () -> provisioner.provision(spec()));

        assertEquals("fly.app_name_taken", e.code());
        assertEquals(ErrorKind.UPSTREAM_FAILED, e.kind());
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("owned by another organisation"), e.getMessage());
        assertTrue(e.getMessage().contains(APP), e.getMessage());
        assertTrue(e.getMessage().contains("fly-request-id 01REQ403-ams"), e.getMessage());
        assertRequest(server.takeRequest(), "GET", "/v1/apps/" + APP, null);
        assertEquals(1, server.getRequestCount(), "no app creation, no machine");
    }

    @Test
    void a_name_taken_between_lookup_and_create_is_reported_as_owned_elsewhere() throws Exception {
        fly.answer(404, "{\"error\": \"Could not find App\"}")
                .answer(422, "{\"error\": \"Name has already been taken\"}")
                .answer(403, "{\"error\": \"unauthorized\"}");

        DomainException e = assertThrows(DomainException.class, () -> provisioner.provision(spec()));

        assertEquals("fly.app_name_taken", e.code());
        assertRequest(server.takeRequest(), "GET", "/v1/apps/" + APP, null);
        assertRequest(server.takeRequest(), "POST", "/v1/apps",
                "{\"app_name\": \"" + APP + "\", \"org_slug\": \"" + ORG + "\", \"network\": \"" + APP + "\"}");
        assertRequest(server.takeRequest(), "GET", "/v1/apps/" + APP, null);
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void an_app_created_concurrently_by_another_provision_is_used() throws Exception {
        fly.answer(404, "{\"error\": \"Could not find App\"}")
                .answer(422, "{\"error\": \"Name has already been taken\"}")
                .answer(200, appJson(ORG));
        scriptMachineThatStarts();

        RunnerRef ref = provisioner.provision(spec());

        assertEquals("3d8d9e1f0a1b2c", ref.runnerId().value());
        server.takeRequest();
        server.takeRequest();
        assertRequest(server.takeRequest(), "GET", "/v1/apps/" + APP, null);
        assertMachineRequestsFollow();
    }

    @Test
    void an_app_that_lives_in_another_organisation_of_this_token_is_not_used() {
        fly.answer(200, appJson("someone-else"));

        DomainException e = assertThrows(DomainException.class, () -> provisioner.provision(spec()));

        assertEquals("fly.app_in_other_organisation", e.code());
        assertEquals(1, server.getRequestCount());
    }
}
