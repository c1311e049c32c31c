package ai.interviewinsights.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.interview.Architecture;
import ai.interviewinsights.domain.model.runner.StandbyPoolSizes;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The standby pools' sizes from the environment: off by default, per architecture, per tenant, and bad input named. */
class RunnerPoolSettingsTest {

    private static final String ACME = "11111111-1111-4111-8111-111111111111";
    private static final String GLOBEX = "22222222-2222-4222-8222-222222222222";

    private static StandbyPoolSizes sizes(Map<String, String> variables) {
        Env env = new Env(variables);
        RunnerPoolSettings settings = RunnerPoolSettings.from(env);
        env.requireValid();
        return settings.sizes();
    }

    @Test
    void off_unless_asked_then_per_architecture_and_per_tenant() {
        assertFalse(sizes(Map.of()).anyOn(), "no pool by default: every start is cold");
        StandbyPoolSizes sizes = sizes(Map.of("RUNNER_POOL_SIZE", "2", "RUNNER_POOL_SIZE_PROXY", "0",
                "RUNNER_POOL_TENANT_SIZES", ACME + ":hybrid=5, " + ACME + ":proxy=1," + GLOBEX + ":hybrid=0"));
        TenantId other = TenantId.of("33333333-3333-4333-8333-333333333333");
        assertEquals(2, sizes.of(Architecture.HYBRID));
        assertEquals(0, sizes.of(Architecture.PROXY));
        assertEquals(2, sizes.of(other, Architecture.HYBRID), "a tenant not named has the global size");
        assertEquals(5, sizes.of(TenantId.of(ACME), Architecture.HYBRID));
        assertEquals(1, sizes.of(TenantId.of(ACME), Architecture.PROXY));
        assertEquals(0, sizes.of(TenantId.of(GLOBEX), Architecture.HYBRID), "a tenant can be taken out");
        assertTrue(sizes.anyOn());
    }

    @Test
    void bad_sizes_are_named_in_one_go() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> sizes(Map.of(
                "RUNNER_POOL_SIZE", "500", "RUNNER_POOL_TENANT_SIZES", "acme:hybrid=2," + ACME + ":gpu=1,"
                        + ACME + ":hybrid=-1")));
        String message = e.getMessage();
        assertTrue(message.contains("RUNNER_POOL_SIZE must be between 0 and 50"), message);
        assertTrue(message.contains("'acme:hybrid=2' is not"), message);
        assertTrue(message.contains("gpu=1' is not"), message);
        assertTrue(message.contains("hybrid=-1' is not"), message);
    }
}
