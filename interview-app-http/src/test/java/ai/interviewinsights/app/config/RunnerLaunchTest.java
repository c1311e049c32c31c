package ai.interviewinsights.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.interview.Architecture;
import ai.interviewinsights.domain.model.runner.RunnerLaunch;
import ai.interviewinsights.domain.model.runner.RunnerSpec;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The launch contract written by a provisioner is what the runner reads: one definition, both sides. */
class RunnerLaunchTest {

    private final RunnerSpec spec = new RunnerSpec(new SessionId(UUID.randomUUID()), new TenantId(UUID.randomUUID()),
            new CandidateId(UUID.randomUUID()), new PositionId(UUID.randomUUID()), Architecture.HYBRID,
            Secret.of("runner-token-value"), Secret.of("client-key-value"), Duration.ofMinutes(30));

    @Test
    void what_a_provisioner_writes_the_runner_reads_back() {
        RunnerLaunch launch = new RunnerLaunch(spec, URI.create("http://127.0.0.1:8080"), "127.0.0.1", 0);

        RunnerSettings settings = RunnerSettings.from(new Env(launch.environment()));

        assertEquals(spec.session(), settings.session());
        assertEquals(spec.tenant(), settings.tenant());
        assertEquals(spec.runnerToken(), settings.runnerToken());
        assertEquals(spec.clientTokenKey(), settings.clientTokenKey());
        assertEquals(URI.create("http://127.0.0.1:8080"), settings.controlPlaneUrl());
        assertEquals("127.0.0.1", settings.host());
        assertEquals(0, settings.port());
        assertEquals(RunnerLaunch.RUNNER_MODE, launch.environment().get(RunnerLaunch.MODE));
        assertEquals(Architecture.HYBRID, settings.architecture());
    }

    @Test
    void the_sessions_architecture_travels_to_the_runner() {
        RunnerSpec proxy = new RunnerSpec(spec.session(), spec.tenant(), spec.candidate(), spec.position(),
                Architecture.PROXY, spec.runnerToken(), spec.clientTokenKey(), spec.maxDuration());
        RunnerLaunch launch = new RunnerLaunch(proxy, URI.create("http://127.0.0.1:8080"), "127.0.0.1", 0);

        assertEquals("proxy", launch.environment().get(RunnerLaunch.ARCHITECTURE));
        assertEquals(Architecture.PROXY, RunnerSettings.from(new Env(launch.environment())).architecture());
    }

    @Test
    void a_launch_without_an_architecture_is_hybrid_and_a_wrong_one_is_a_configuration_error() {
        Map<String, String> env = new HashMap<>(new RunnerLaunch(spec, URI.create("http://127.0.0.1:8080"),
                "127.0.0.1", 0).environment());
        env.remove(RunnerLaunch.ARCHITECTURE);
        assertEquals(Architecture.HYBRID, RunnerSettings.from(new Env(env)).architecture());

        env.put(RunnerLaunch.ARCHITECTURE, "sfu");
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> RunnerSettings.from(new Env(env)));
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(RunnerLaunch.ARCHITECTURE)), e.problems()
                .toString());
    }

    @Test
    void without_a_host_the_runner_listens_everywhere_and_the_launch_never_shows_its_secrets() {
        RunnerLaunch launch = new RunnerLaunch(spec, URI.create("https://control.example.test"), null, 8080);

        assertFalse(launch.environment().containsKey(RunnerLaunch.HOST));
        assertEquals("0.0.0.0", RunnerSettings.from(new Env(launch.environment())).host());
        assertFalse(launch.toString().contains("runner-token-value"));
        assertFalse(launch.toString().contains("client-key-value"));
    }
}
