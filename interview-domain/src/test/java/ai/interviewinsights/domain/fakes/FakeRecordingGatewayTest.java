package ai.interviewinsights.domain.fakes;

import ai.interviewinsights.domain.contract.RecordingGatewayContract;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import ai.interviewinsights.domain.testing.FakeRecordingGateway;
import java.time.Clock;

class FakeRecordingGatewayTest extends RecordingGatewayContract {

    private final FakeRecordingGateway fake = new FakeRecordingGateway(Clock.systemUTC());

    @Override
    protected RecordingGateway gateway() {
        return fake;
    }

    @Override
    protected boolean providerAcceptsUploadsWith(Secret uploadToken) {
        return fake.acceptsUploadsWith(uploadToken);
    }
}
