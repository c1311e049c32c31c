package ai.interviewinsights.app.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.interviewinsights.app.web.Json;
import ai.interviewinsights.domain.model.sdp.SdpLimits;
import ai.interviewinsights.domain.testing.FakeRealtimeGateway;
import ai.interviewinsights.domain.testing.MutableClock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The dry run before READY goes through the whole relay path on its bundled input, and warms the gateway once. */
class RelayWarmUpRunTest {

    @Test
    void every_pass_runs_the_relay_path_and_the_gateway_is_warmed_once() {
        AtomicInteger warmed = new AtomicInteger();
        FakeRealtimeGateway fake = new FakeRealtimeGateway(MutableClock.at("2026-11-22T10:00:00Z"));
        var realtime = new ai.interviewinsights.domain.port.out.RealtimeGateway() {
            @Override
            public ai.interviewinsights.domain.model.realtime.ClientSecret mintClientSecret(
                    ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig config, java.time.Duration ttl) {
                return fake.mintClientSecret(config, ttl);
            }

            @Override
            public ai.interviewinsights.domain.model.realtime.RelayedCall relay(
                    ai.interviewinsights.domain.model.sdp.SdpOffer offer,
                    ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig config) {
                throw new AssertionError("the warm-up never relays");
            }

            @Override
            public void hangUp(ai.interviewinsights.domain.model.realtime.RealtimeCallId call) {
                throw new AssertionError("the warm-up never hangs up");
            }

            @Override
            public Sideband openSideband(ai.interviewinsights.domain.model.realtime.RealtimeCallId call,
                                         SidebandListener listener) {
                throw new AssertionError("the warm-up opens no sideband");
            }

            @Override
            public void warmUp() {
                warmed.incrementAndGet();
            }
        };
        assertEquals(RelayWarmUp.PASSES, RelayWarmUp.run(Json.shared(), realtime, SdpLimits.defaults()),
                "every pass parsed and validated the bundled offer and ran the messages' JSON");
        assertEquals(1, warmed.get());
    }
}
