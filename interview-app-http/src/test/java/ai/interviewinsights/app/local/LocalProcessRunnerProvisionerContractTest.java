package ai.interviewinsights.app.local;

import ai.interviewinsights.domain.contract.RunnerProvisionerContract;
import ai.interviewinsights.domain.port.out.RunnerProvisioner;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The domain's provisioner contract for local runner processes: real child processes (a shell script standing in for
 * the runner JVM, printing the line a runner prints once it listens), started, listed, refused and destroyed as any
 * provisioner must.
 */
class LocalProcessRunnerProvisionerContractTest extends RunnerProvisionerContract {

    @TempDir
    Path folder;

    private LocalProcessRunnerProvisioner provisioner;

    @BeforeEach
    void start() {
        provisioner = new LocalProcessRunnerProvisioner(
                RunnerJvm.fixed(List.of("/bin/sh", "-c", "echo 'RUNNER_LISTENING port=40000'; exec sleep 60")),
                folder.resolve("logs"), Map.of(), () -> URI.create("http://127.0.0.1:9"), Clock.systemUTC(),
                Duration.ofSeconds(20), lost -> { });
    }

    @AfterEach
    void stop() {
        provisioner.close();
    }

    @Override
    protected RunnerProvisioner provisioner() {
        return provisioner;
    }
}
