package ai.interviewinsights.domain.fakes;

import ai.interviewinsights.domain.contract.RunnerProvisionerContract;
import ai.interviewinsights.domain.port.out.RunnerProvisioner;
import ai.interviewinsights.domain.testing.FakeRunnerProvisioner;
import java.time.Clock;

class FakeRunnerProvisionerTest extends RunnerProvisionerContract {

    private final FakeRunnerProvisioner fake = new FakeRunnerProvisioner(Clock.systemUTC());

    @Override
    protected RunnerProvisioner provisioner() {
        return fake;
    }
}
