package ai.interviewinsights.domain.contract;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.interview.Architecture;
import ai.interviewinsights.domain.model.runner.LiveRunner;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.model.runner.RunnerName;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.runner.RunnerSpec;
import ai.interviewinsights.domain.port.out.RunnerProvisioner;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What any {@link RunnerProvisioner} must do: idempotent provisioning, tagging, idempotent destruction. */
public abstract class RunnerProvisionerContract {

    protected abstract RunnerProvisioner provisioner();

    protected RunnerSpec spec(TenantId tenant) {
        return new RunnerSpec(new SessionId(UUID.randomUUID()), tenant, new CandidateId(UUID.randomUUID()),
                new PositionId(UUID.randomUUID()), Architecture.HYBRID, Secret.of("runner-token-" + UUID.randomUUID()),
                Secret.of("client-key-" + UUID.randomUUID()), Duration.ofMinutes(30));
    }

    private List<LiveRunner> liveFor(SessionId session) {
        return provisioner().listLive().stream().filter(r -> session.equals(r.session())).toList();
    }

    @Test
    void a_provisioned_runner_has_the_design_name_a_websocket_endpoint_and_is_listed_with_its_tags() {
        TenantId tenant = new TenantId(UUID.randomUUID());
        RunnerSpec spec = spec(tenant);
        RunnerRef ref = provisioner().provision(spec);
        assertEquals(RunnerName.of(Architecture.HYBRID, tenant, spec.session()), ref.name());
        assertTrue(ref.endpoint().getScheme().startsWith("ws"), ref.endpoint().toString());
        List<LiveRunner> live = liveFor(spec.session());
        assertEquals(1, live.size());
        assertEquals(ref.runnerId(), live.get(0).runnerId());
        assertEquals(tenant, live.get(0).tenant());
    }

    @Test
    void provisioning_the_same_session_twice_reuses_the_runner() {
        RunnerSpec spec = spec(new TenantId(UUID.randomUUID()));
        RunnerRef first = provisioner().provision(spec);
        RunnerRef second = provisioner().provision(spec);
        assertEquals(first.runnerId(), second.runnerId());
        assertEquals(1, liveFor(spec.session()).size());
    }

    @Test
    void a_session_whose_short_id_collides_never_gets_another_sessions_runner() {
        TenantId tenant = new TenantId(UUID.randomUUID());
        RunnerSpec first = spec(tenant);
        UUID clash = new UUID((first.session().value().getMostSignificantBits() & 0xFFFFFFFF00000000L) | 0x4abcL,
                0x8000000000000001L);
        RunnerSpec second = new RunnerSpec(new SessionId(clash), tenant, first.candidate(), first.position(),
                first.architecture(), Secret.of("runner-token-2"), Secret.of("client-key-2"), first.maxDuration());
        assertEquals(first.name(), second.name(), "the two sessions share a short id");
        RunnerRef firstRef = provisioner().provision(first);
        try {
            RunnerRef secondRef = provisioner().provision(second);
            assertTrue(!secondRef.runnerId().equals(firstRef.runnerId()),
                    "the second session was handed the first session's runner");
        } catch (ai.interviewinsights.domain.model.DomainException refused) {
            assertEquals(ai.interviewinsights.domain.model.ErrorKind.CONFLICT, refused.kind());
            assertTrue(refused.code().endsWith("name_collision"), refused.code());
        }
        assertEquals(1, liveFor(first.session()).size());
    }

    @Test
    void a_destroyed_runner_is_gone_and_destroying_it_again_is_fine() {
        RunnerSpec spec = spec(new TenantId(UUID.randomUUID()));
        RunnerRef ref = provisioner().provision(spec);
        provisioner().destroy(spec.tenant(), ref.runnerId());
        assertTrue(liveFor(spec.session()).isEmpty());
        provisioner().destroy(spec.tenant(), ref.runnerId());
    }

    @Test
    void destroying_a_runner_that_never_existed_is_fine() {
        RunnerSpec neighbour = spec(new TenantId(UUID.randomUUID()));
        RunnerRef running = provisioner().provision(neighbour);

        assertDoesNotThrow(() -> provisioner().destroy(neighbour.tenant(), new RunnerId("3d8d9e1f" + "0a1b2c")));
        assertDoesNotThrow(() -> provisioner().destroy(new TenantId(UUID.randomUUID()),
                new RunnerId("3d8d9e1f" + "0a1b2c")));

        List<LiveRunner> live = liveFor(neighbour.session());
        assertEquals(1, live.size(), "destroying an unknown runner touched nobody else's");
        assertEquals(running.runnerId(), live.get(0).runnerId());
    }
}
