package ai.interviewinsights.adapters.flyio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.contract.RunnerProvisionerContract;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.runner.RunnerSpec;
import ai.interviewinsights.domain.port.out.RunnerProvisioner;
import ai.interviewinsights.domain.testing.MutableClock;
import java.util.UUID;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The domain's provisioner contract, held against this adapter talking to a stateful fake of the Machines API. */
class FlyRunnerProvisionerContractTest extends RunnerProvisionerContract {

    @StartStop
    private final MockWebServer server = new MockWebServer();
    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final FakeFlyServer fly = new FakeFlyServer(clock, FlyTestSupport.AUTHORIZATION, FlyTestSupport.ORG);
    private FlyMachinesProvisioner provisioner;

    @BeforeEach
    void setUp() {
        server.setDispatcher(fly);
        provisioner = FlyTestSupport.provisioner(FlyTestSupport.config(server).build(), clock);
    }

    @Override
    protected RunnerProvisioner provisioner() {
        return provisioner;
    }

    @Test
    void a_provisioned_machine_is_started_tagged_and_lives_in_the_tenant_app() {
        TenantId tenant = new TenantId(UUID.randomUUID());
        RunnerSpec spec = spec(tenant);

        RunnerRef ref = provisioner.provision(spec);

        FakeFlyServer.FakeMachine machine = fly.machine(ref.runnerId().value());
        assertEquals("started", machine.state);
        assertEquals("interviews-" + tenant, machine.app);
        assertEquals(spec.session().toString(), machine.config.path("metadata").path("session_id").asText());
        assertTrue(ref.endpoint().toString().endsWith(".fly.dev/ws?instance=" + ref.runnerId()), ref.toString());
    }
}
