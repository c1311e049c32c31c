package ai.interviewinsights.adapters.flyio;

import ai.interviewinsights.domain.model.runner.RunnerLaunch;
import ai.interviewinsights.domain.model.runner.RunnerSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one session's machine looks like: the runner image, told through its environment ({@link RunnerLaunch}, the
 * one definition every provisioner and the runner share) which session it serves and how to reach the control
 * plane, tagged with metadata the reconciler reads back, and built to disappear:
 * {@code auto_destroy} with restart policy {@code no}, so a runner that exits (interview over, or crashed) takes
 * its machine with it instead of being restarted into a session that no longer wants it.
 */
final class MachineBlueprint {

    static final String TENANT_KEY = "tenant_id";
    static final String SESSION_KEY = "session_id";
    static final String ARCHITECTURE_KEY = "architecture";
    static final String MANAGED_BY_KEY = "managed_by";
    static final String MANAGED_BY = "interview-insights";
    /** {@code standby} on a pool machine no session has claimed yet (ADR 0020), {@code claimed} once one has. */
    static final String POOL_KEY = "pool";
    static final String STANDBY = "standby";
    static final String CLAIMED = "claimed";

    private MachineBlueprint() {
    }

    /**
     * A standby machine of a tenant's pool: the runner image and the machine's shape, but no session's variables
     * and no session's tag: it holds nothing of anyone until it is claimed, and it is never launched before.
     */
    static FlyJson.CreateStandby standby(FlyConfig config, ai.interviewinsights.domain.model.identity.TenantId tenant,
                                         ai.interviewinsights.domain.model.interview.Architecture architecture,
                                         String name, String region) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(TENANT_KEY, tenant.toString());
        metadata.put(ARCHITECTURE_KEY, architecture.wireName());
        metadata.put(MANAGED_BY_KEY, MANAGED_BY);
        metadata.put(POOL_KEY, STANDBY);
        return new FlyJson.CreateStandby(name, region, machineConfig(config, Map.of(), metadata, architecture), true);
    }

    /** The config a claimed standby is updated to: the session's, as a cold start would create it. */
    static FlyJson.UpdateMachine claimed(FlyConfig config, RunnerSpec spec) {
        FlyJson.MachineConfig session = of(config, spec, config.regions().get(0)).config();
        Map<String, String> metadata = new LinkedHashMap<>(session.metadata());
        metadata.put(POOL_KEY, CLAIMED);
        return new FlyJson.UpdateMachine(machineConfig(config, session.env(), metadata, spec.architecture()));
    }

    static FlyJson.CreateMachine of(FlyConfig config, RunnerSpec spec, String region) {
        // The runner's launch contract (RunnerLaunch); no HOST: inside a machine the runner listens on every interface.
        Map<String, String> env = new RunnerLaunch(spec, config.controlPlaneUrl(), null, config.internalPort())
                .environment();

        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(TENANT_KEY, spec.tenant().toString());
        metadata.put(SESSION_KEY, spec.session().toString());
        metadata.put(ARCHITECTURE_KEY, spec.architecture().wireName());
        metadata.put(MANAGED_BY_KEY, MANAGED_BY);

        return new FlyJson.CreateMachine(spec.name().value(), region, machineConfig(config, env, metadata,
                spec.architecture()));
    }

    private static FlyJson.MachineConfig machineConfig(FlyConfig config, Map<String, String> env,
                                                       Map<String, String> metadata,
                                                       ai.interviewinsights.domain.model.interview.Architecture
                                                               architecture) {
        // A proxy runner carries the interview's audio itself and needs more CPU than one that relays the SDP.
        FlyConfig.Guest guest = config.guestFor(architecture);
        // autostop/autostart off: Fly's proxy must never stop a runner between two WebSocket connections (with
        // auto_destroy that would destroy a live interview), nor start a finished one again.
        FlyJson.Service service = new FlyJson.Service("tcp", config.internalPort(), List.of(
                new FlyJson.Port(443, List.of("tls", "http"), null),
                new FlyJson.Port(80, List.of("http"), true)), false, false);
        return new FlyJson.MachineConfig(config.image(), env, metadata,
                new FlyJson.Guest(guest.cpuKind(), guest.cpus(), guest.memoryMb()), true,
                new FlyJson.Restart("no"), List.of(service));
    }
}
