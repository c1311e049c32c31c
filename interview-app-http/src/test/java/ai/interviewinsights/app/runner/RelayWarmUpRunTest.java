package ai.interviewinsights.app.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * A lazy gateway is built before the passes run (ADR 0027): a runner listens before its warm-up is done, and an
     * offer sent right at READY waits for the gateway's build, not for the passes.
     */
    @Test
    void a_lazy_gateway_is_built_before_the_passes() {
        java.util.List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper() {
            @Override
            public String writeValueAsString(Object value)
                    throws com.fasterxml.jackson.core.JsonProcessingException {
                if (!order.contains("passes")) {
                    order.add("passes");
                }
                return super.writeValueAsString(value);
            }
        };
        FakeRealtimeGateway fake = new FakeRealtimeGateway(MutableClock.at("2026-11-22T10:00:00Z"));
        LazyRealtimeGateway lazy = new LazyRealtimeGateway(() -> {
            order.add("built");
            return fake;
        });
        RelayWarmUp.run(json, lazy, SdpLimits.defaults());
        assertEquals(java.util.List.of("built", "passes"), order);
        assertTrue(lazy.isBuilt());
    }
}
